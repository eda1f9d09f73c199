"""What the dataset holds per decade and region, so that its coverage is reported, not asserted."""

import pandas as pd

import schemas
from schemas.coverage import ALL_REGIONS


def _decade(dates: pd.Series) -> pd.Series:
    return dates.dt.year // 10 * 10


def coverage_table(treaties: pd.DataFrame, memberships: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Treaties begun and spells begun per decade and region, with their unconfirmed counts."""
    region = countries.set_index("country_iso3")["region"]
    spells = memberships[["treaty_id", "country_iso3", "joined", "unconfirmed"]].assign(
        decade=_decade(memberships["joined"]), region=memberships["country_iso3"].map(region))
    first_joined = spells.groupby("treaty_id")["joined"].min()
    begun = treaties["signed"].fillna(treaties["in_force"]).fillna(treaties["treaty_id"].map(first_joined))
    started = treaties[["treaty_id", "unconfirmed", "atop_id"]].assign(decade=_decade(begun))
    treaty_regions = spells[["treaty_id", "region"]].dropna().drop_duplicates().merge(started, on="treaty_id")
    per_treaty = pd.concat([treaty_regions, started.assign(region=ALL_REGIONS)])
    per_spell = pd.concat([spells.dropna(subset=["region"]), spells.assign(region=ALL_REGIONS)])
    keys = ["decade", "region"]
    counted = per_treaty.groupby(keys).agg(treaties=("treaty_id", "size"), treaties_unconfirmed=("unconfirmed", "sum"),
                                           treaties_with_atop_id=("atop_id", "count"))
    counted = counted.join(per_spell.groupby(keys).agg(spells=("treaty_id", "size"), spells_unconfirmed=("unconfirmed", "sum"),
                                                       countries=("country_iso3", "nunique")), how="outer")
    out = counted.fillna(0).astype("Int64").reset_index().astype({"decade": "Int64", "region": "string"})
    return out[schemas.TABLES["coverage"].columns].sort_values(keys, ignore_index=True)
