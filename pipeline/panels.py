"""Country-year and dyad-year panels, built with vectorised pandas from the core tables.

A treaty counts in a year if the country was a party at any time during that year; an
obligation counts as suspended in a year only if the suspension lasted the whole year.
A pair holds an obligation type when either country holds it toward the other in a shared
treaty that is not suspended between them (ATOP's dyad-year convention).
"""

import numpy as np
import pandas as pd

from pipeline.tables import cow_by_year
from schemas.codes import OBLIGATION_TYPES

USA = "USA"


def _expand_years(df: pd.DataFrame, first: pd.Series, last: pd.Series) -> pd.DataFrame:
    """One row per row of `df` and year from `first` to `last` (inclusive)."""
    spans = (last - first + 1).clip(lower=0).astype("int64").to_numpy()
    out = df.loc[df.index.repeat(spans)].reset_index(drop=True)
    offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    out["year"] = np.repeat(first.astype("int64").to_numpy(), spans) + offsets
    return out


def partner_years(participants: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """(country_iso3, program_id, year) for every year a country was a program's partner."""
    end = participants["end_year"].fillna(last_year).clip(upper=last_year)
    return _expand_years(participants[["country_iso3", "program_id"]], participants["start_year"], end)


def member_years(memberships: pd.DataFrame, treaties: pd.DataFrame, last_year: int, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """(treaty_id, country_iso3, year, *columns) for every year a country was a party."""
    m = memberships.merge(treaties[["treaty_id", "ended", "ended_precision", "known_in_force_until"]], on="treaty_id")
    end = _last_year(m["left"].fillna(m["ended"]), m["left_precision"].fillna(m["ended_precision"]))
    end = end.fillna(m["known_in_force_until"].dt.year)
    return _expand_years(m[["treaty_id", "country_iso3", *columns]], m["joined"].dt.year, end.fillna(last_year).clip(upper=last_year))


def _last_year(ends: pd.Series, precision: pd.Series) -> pd.Series:
    """The last year a spell covers: one that ended on 1 January, known to the day, ended
    before that year began (the ROC treaty, terminated 1980-01-01, covers 1979)."""
    on_new_year = (precision == "day") & (ends.dt.month == 1) & (ends.dt.day == 1)
    return ends.dt.year - on_new_year.fillna(False).astype("int64")


def _joined(df: pd.DataFrame, keys: list[str], column: str) -> pd.DataFrame:
    """Per group of `keys`: the distinct values of `column`, sorted and joined by spaces,
    and their count. Vectorised: one pass per position within the largest group."""
    rows = df[[*keys, column]].drop_duplicates().sort_values([*keys, column])
    grouped = rows.groupby(keys, sort=False)
    group, position = grouped.ngroup().to_numpy(), grouped.cumcount().to_numpy()
    values = rows[column].to_numpy(dtype=object)
    joined = np.full(group.max() + 1 if len(group) else 0, "", dtype=object)
    for k in range(position.max() + 1 if len(position) else 0):
        at = position == k
        joined[group[at]] = joined[group[at]] + (" " if k else "") + values[at]
    out = rows.loc[position == 0, keys].reset_index(drop=True)
    out[column] = joined
    out["count"] = np.bincount(group, minlength=len(joined)) if len(group) else np.array([], dtype="int64")
    return out


PAIR_BUDGET = 3_000_000  # pair rows expanded at once; bounds the panel's memory at any scale


def dyad_year(memberships, treaties, suspensions, countries, periods, last_year: int) -> pd.DataFrame:
    """Unordered pairs of countries sharing at least one treaty in force, per year."""
    # NOTE: categorical columns keep the pair expansion (members squared per treaty-year) small.
    years = member_years(memberships, treaties, last_year, (*OBLIGATION_TYPES, "obligations_toward"))
    years = years.astype({"treaty_id": "category", "year": "int16", "obligations_toward": "category"})
    years["country_iso3"] = pd.Categorical(years["country_iso3"], categories=sorted(years["country_iso3"].unique()))
    # Pairs never cross years, so the years are cut into blocks of about PAIR_BUDGET pairs
    # each, expanded and aggregated one block at a time.
    members = years.groupby(["year", "treaty_id"], observed=True).size()
    pairs_per_year = (members * (members - 1) // 2).groupby(level="year").sum()
    block = (pairs_per_year.cumsum() // PAIR_BUDGET).rename("block")
    blocks = years.join(block, on="year").groupby("block", sort=False)
    out = pd.concat([_dyads(part.drop(columns="block"), suspensions) for _, part in blocks], ignore_index=True) if len(years) else _dyads(years, suspensions)
    out = out.astype({"country_a": "string", "country_b": "string", "shared_treaty_ids": "string", "year": "int64"})
    for side in ("a", "b"):
        codes = out[[f"country_{side}", "year"]].rename(columns={f"country_{side}": "country_iso3"})
        out[f"cow_ccode_{side}"] = cow_by_year(countries, periods, codes)
    return out


def _dyads(years: pd.DataFrame, suspensions: pd.DataFrame) -> pd.DataFrame:
    """The dyad-year rows of some member-years (all years of a block, complete)."""
    pairs = years.merge(years, on=["treaty_id", "year"], suffixes=("_a", "_b"))
    pairs = pairs[pairs.country_iso3_a.cat.codes < pairs.country_iso3_b.cat.codes].rename(columns={"country_iso3_a": "country_a", "country_iso3_b": "country_b"})
    pairs["suspended"] = _suspended(pairs, suspensions)
    a_binds, b_binds = _binds(pairs, "a", "b") & ~pairs["suspended"], _binds(pairs, "b", "a") & ~pairs["suspended"]
    for kind in OBLIGATION_TYPES:
        pairs[kind] = (pairs[f"{kind}_a"] & a_binds) | (pairs[f"{kind}_b"] & b_binds)
    keys = ["country_a", "country_b", "year"]
    out = _joined(pairs, keys, "treaty_id").rename(columns={"treaty_id": "shared_treaty_ids", "count": "shared_treaty_count"})
    held = pairs.groupby(keys, observed=True)[list(OBLIGATION_TYPES)].any().reset_index()
    out = out.merge(held, on=keys, how="left")
    suspended = _joined(pairs[pairs["suspended"]], keys, "treaty_id").rename(columns={"treaty_id": "suspended_treaty_ids"})
    return out.merge(suspended.drop(columns="count"), on=keys, how="left")


def _binds(pairs: pd.DataFrame, holder: str, other: str) -> pd.Series:
    """True where the `holder` side's obligations reach the `other` side: toward every
    member (no list), or toward a list that names it."""
    toward = pairs[f"obligations_toward_{holder}"]
    binds = toward.isna().to_numpy(copy=True)
    listed = ~binds
    if listed.any():
        names = pairs.loc[listed, f"country_{other}"].astype(str).to_numpy()
        binds[listed] = [name in lst.split() for name, lst in zip(names, toward[listed].astype(str))]
    return pd.Series(binds, index=pairs.index)


def _suspended(pairs: pd.DataFrame, suspensions: pd.DataFrame) -> pd.Series:
    """True where the pair's obligations under the treaty were suspended the whole year."""
    flags = pd.Series(False, index=pairs.index)
    for s in suspensions.itertuples():
        a, b = sorted((s.suspended_by, s.suspended_toward))
        first_full_year = s.started.year + (0 if (s.started.month, s.started.day) == (1, 1) else 1)
        last_full_year = s.ended.year - (0 if (s.ended.month, s.ended.day) == (12, 31) else 1) if pd.notna(s.ended) else np.inf
        flags |= (pairs.treaty_id == s.treaty_id) & (pairs.country_a == a) & (pairs.country_b == b) & pairs.year.between(first_full_year, last_full_year)
    return flags


def country_year(memberships, treaties, dyads, participants, activities, countries, periods, last_year: int, system: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per state and year of the state system (`system`: country_iso3, year), plus every
    country and year with a treaty or program; without a state system, per country from its
    first year in the data to `last_year`."""
    years = member_years(memberships, treaties, last_year)
    host_years = activities[["host_country_iso3", "program_id", "year"]].rename(columns={"host_country_iso3": "country_iso3"})
    programs = pd.concat([partner_years(participants, last_year), host_years], ignore_index=True)

    active = pd.concat([years[["country_iso3", "year"]], programs[["country_iso3", "year"]]])
    if system is None:
        first = active.groupby("country_iso3")["year"].min()
        grid = _expand_years(first.index.to_frame(index=False), first.reset_index(drop=True), pd.Series(last_year, index=range(len(first))))
        system = grid.iloc[0:0]
    else:
        grid = pd.concat([system[["country_iso3", "year"]], active]).drop_duplicates()
    grid = grid[grid.year <= last_year].sort_values(["country_iso3", "year"], ignore_index=True)

    keys = ["country_iso3", "year"]
    treaty_ids = _joined(years, keys, "treaty_id").rename(columns={"treaty_id": "treaty_ids", "count": "treaty_count"})
    program_ids = _joined(programs, keys, "program_id").rename(columns={"program_id": "program_ids", "count": "program_count"})
    out = grid.merge(treaty_ids, on=keys, how="left").merge(program_ids, on=keys, how="left")
    out[["treaty_count", "program_count"]] = out[["treaty_count", "program_count"]].fillna(0).astype("int64")

    allied = dyads[dyads.defense & ((dyads.country_a == USA) | (dyads.country_b == USA))]
    partner = allied.country_a.where(allied.country_b == USA, allied.country_b)
    allied_keys = pd.MultiIndex.from_arrays([partner, allied.year])
    out["allied_with_usa"] = pd.MultiIndex.from_frame(out[["country_iso3", "year"]]).isin(allied_keys)
    out["cow_ccode"] = cow_by_year(countries, periods, out[["country_iso3", "year"]])
    out["in_state_system"] = pd.MultiIndex.from_frame(out[["country_iso3", "year"]]).isin(pd.MultiIndex.from_frame(system[["country_iso3", "year"]]))
    return out
