"""The releases folder's index.json and the names every writer of that folder shares.

Nothing here imports pandas, so a refresh whose inputs match the latest release can stop
at start-up cost (see inputs.py).
"""

import json
from pathlib import Path

STAGING_PREFIX = ".staging-"
# The files each table is published as: suffix -> (name, media type). The CSV file is the
# table's Frictionless resource; the others are listed beside it.
FORMATS = {
    ".csv": ("CSV", "text/csv"),
    ".parquet": ("Parquet", "application/vnd.apache.parquet"),
    ".dta": ("Stata", "application/x-stata-dta"),
}
TABLE_FORMATS = tuple(FORMATS)
EARLIER_FORMATS = (".csv", ".parquet")  # those of releases whose index entry lists none (before .dta)


class PublishError(Exception):
    """Publishing was refused or failed: nothing was written, unless `published` names the
    release that was published locally before a later step (a mirror) failed."""

    def __init__(self, message: str, published: str | None = None):
        super().__init__(message)
        self.published = published


def read_index(releases_dir: Path) -> dict:
    path = releases_dir / "index.json"
    if not path.exists():
        return {"latest": None, "releases": []}
    return json.loads(path.read_text(encoding="utf-8"))


def latest_entry(index: dict) -> dict | None:
    """The index entry of the latest release, or None before the first."""
    return next((r for r in index["releases"] if r["version"] == index["latest"]), None)
