"""Loading published tables as pandas DataFrames with the schema's dtypes.

For analysts: this imports pandas, pyarrow and pandera, never Dagster.
"""

import os
from pathlib import Path

import pandas as pd

import schemas
from pipeline import settings, table_files
from pipeline.download import download
from pipeline.release_source import ReleaseSource, is_url


def _cache_dir() -> Path:
    return Path(os.environ.get("ALLIANCES_CACHE", Path.home() / ".cache" / "alliances-dataset"))


def release_folder(version: str = "latest", source: str | Path | None = None) -> Path:
    """The local folder holding `version`, downloading and verifying it first for a URL.

    Args:
        source: None for this project's outputs/, a releases folder (with index.json), a
            folder of downloaded versions, one version folder, or an http(s) URL of a mirror.
    """
    if source is None:
        source = settings.outputs_dir() / "releases"
    if is_url(source):
        releases = ReleaseSource.of(source)
        version = releases.resolve(version)
        cached = _cache_dir() / version
        return cached if cached.exists() else download(version, source, _cache_dir(), progress=False)
    if (Path(source) / "datapackage.json").exists():
        return Path(source)
    releases = ReleaseSource.of(source)
    return Path(releases.location(releases.resolve(version)))


def load(table: str, version: str = "latest", source: str | Path | None = None) -> pd.DataFrame:
    """One published table, validated against its schema: dates as datetime64, nullable
    integers as Int64, text as str.

    Raises:
        KeyError: `table` is not a published table.
        ValueError: `version` is neither 'latest' nor MAJOR.MINOR.PATCH.
    """
    if table not in schemas.TABLES:
        raise KeyError(f"{table!r} is not a published table; choose one of {', '.join(schemas.TABLES)}")
    return table_files.read_table(table, release_folder(version, source))


def load_all(version: str = "latest", source: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every published table of one release, by name."""
    folder = release_folder(version, source)
    return {name: table_files.read_table(name, folder) for name in schemas.TABLES}
