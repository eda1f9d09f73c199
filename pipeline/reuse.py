"""Derived tables taken from the latest release when their ingredients have not changed.

A derived table (the panels, the coverage counts) reads only some columns of the core
tables. Those columns, the release year and the code are its ingredients; their hash is
recorded with each release. When a build's hash for a table equals the latest release's,
the table is read back from that release (checksum verified) instead of being rebuilt:
a corrected quote, a renamed treaty or a new source leaves the panels as they were.

NOTE: a table is reused whole or rebuilt whole. Rebuilding only the treaties whose rows
changed is not possible as the panels stand: each dyad-year and country-year row
aggregates every treaty its countries share, so one changed treaty touches rows that
other treaties also make.
"""

import hashlib
from pathlib import Path

import pandas as pd

from pipeline import inputs, table_files
from pipeline.download import DownloadError, verify_folder
from pipeline.release_index import latest_entry, read_index
from schemas.codes import OBLIGATION_TYPES

_SPELLS = ["treaty_id", "country_iso3", "joined", "left", "left_precision"]
_IN_FORCE = ["treaty_id", "ended", "ended_precision", "known_in_force_until"]
_CODES = ["country_iso3", "cow_ccode"]

# The columns each derived table is built from; the builder receives these and no others.
INGREDIENTS: dict[str, dict[str, list[str]]] = {
    "dyad_year": {
        "memberships": [*_SPELLS, *OBLIGATION_TYPES, "obligations_toward"], "treaties": _IN_FORCE,
        "suspensions": ["treaty_id", "suspended_by", "suspended_toward", "started", "ended"], "countries": _CODES,
    },
    "country_year": {  # and dyad_year, through its hash
        "memberships": _SPELLS, "treaties": _IN_FORCE,
        "program_participants": ["country_iso3", "program_id", "start_year", "end_year"],
        "program_activities": ["host_country_iso3", "program_id", "year"], "countries": _CODES,
    },
    "coverage": {
        "treaties": ["treaty_id", "signed", "in_force", "unconfirmed", "atop_id"],
        "memberships": ["treaty_id", "country_iso3", "joined", "unconfirmed"], "countries": ["country_iso3", "region"],
    },
}


def ingredients(table: str, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The columns of `tables` that `table` is built from."""
    return {name: tables[name][columns] for name, columns in INGREDIENTS[table].items()}


def ingredients_hash(table: str, frames: dict[str, pd.DataFrame], extra: str) -> str:
    """A hash of a derived table's ingredient frames, `extra` (the release year, the period
    codes, the state system) and the code that builds it."""
    digest = hashlib.sha256((inputs.code_hash() + table + extra).encode())
    for name, df in frames.items():
        digest.update(name.encode() + pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _frame_key(df: pd.DataFrame | None) -> str:
    if df is None:
        return "none"
    return hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()


def keys(core: dict[str, pd.DataFrame], periods: pd.DataFrame, system: pd.DataFrame | None, release_year: int) -> dict[str, str]:
    """Each derived table's ingredients hash. country_year reads dyad_year, which its
    ingredients determine, so dyad_year's hash stands for it."""
    context = f"{release_year} {_frame_key(periods)}"
    dyads = ingredients_hash("dyad_year", ingredients("dyad_year", core), context)
    return {
        "dyad_year": dyads,
        "country_year": ingredients_hash("country_year", ingredients("country_year", core), f"{context} {dyads} {_frame_key(system)}"),
        "coverage": ingredients_hash("coverage", ingredients("coverage", core), context),
    }


def latest_release(outputs_dir: Path | None) -> tuple[Path, dict] | None:
    """The latest release's folder and its recorded ingredient hashes, if there is one."""
    if outputs_dir is None:
        return None
    entry = latest_entry(read_index(outputs_dir / "releases"))
    return (outputs_dir / "releases" / entry["version"], entry.get("ingredients", {})) if entry else None


def reused(table: str, key: str, latest: tuple[Path, dict] | None) -> pd.DataFrame | None:
    """`table` as the latest release holds it, if it was built from the same ingredients
    and its file still matches that release's SHA256SUMS; else None."""
    if latest is None or latest[1].get(table) != key:
        return None
    try:
        verify_folder(latest[0], [f"{table}.parquet"])
    except (DownloadError, OSError):
        return None
    df = table_files.read_table(table, latest[0])
    df.attrs["reused_from"] = latest[0].name  # the schema check ran on it when it was published, by this same code
    return df
