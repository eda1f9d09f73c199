"""Loading published tables as pandas DataFrames with the schema's dtypes.

For analysts: this imports pandas, pyarrow and pandera, never Dagster.
"""

import hashlib
import os
from pathlib import Path

import pandas as pd

import schemas
from pipeline import settings, table_files
from pipeline.download import download, index_entry, listed_files, verify_folder
from pipeline.release_source import ReleaseSource, is_url


def _cache_dir() -> Path:
    return Path(os.environ.get("ALLIANCES_CACHE", Path.home() / ".cache" / "alliances-dataset"))


def _cached_copy(url: str, version: str) -> Path:
    """A verified local copy of `version` from the mirror at `url`, kept under the mirror's
    address and the release's content hash: a mirror that changes what a version holds, or
    another mirror with the same version, never gets an earlier copy back."""
    releases = ReleaseSource.of(url)
    version = releases.resolve(version)
    entry = index_entry(releases, version) or {}
    where = hashlib.sha256(releases.root.encode()).hexdigest()[:16]
    folder = _cache_dir() / where / str(entry.get("content_hash", "unindexed"))[:16]
    if (folder / version).is_dir():
        return folder / version
    return download(version, url, folder, progress=False)


def release_folder(version: str = "latest", source: str | Path | None = None) -> Path:
    """The local folder holding `version`, downloading and verifying it first for a URL.

    Args:
        source: None for this project's outputs/, a releases folder (with index.json), a
            folder of downloaded versions, one version folder, or an http(s) URL of a mirror.
    """
    if source is None:
        source = settings.outputs_dir() / "releases"
    if is_url(source):
        return _cached_copy(str(source), version)
    if (Path(source) / "datapackage.json").exists():
        return Path(source)
    releases = ReleaseSource.of(source)
    return Path(releases.location(releases.resolve(version)))


def _read(table: str, folder: Path, validate: bool) -> pd.DataFrame:
    """A table whose file still matches the release's SHA256SUMS, typed by its schema."""
    verify_folder(folder, [f"{table}.parquet"])
    return table_files.read_table(table, folder, validate)


def load(table: str, version: str = "latest", source: str | Path | None = None, validate: bool = False) -> pd.DataFrame:
    """One published table with its schema's dtypes: dates as datetime64, nullable
    integers as Int64, text as str. Its checksum is verified on every read; `validate=True`
    also runs the table's pandera checks.

    Raises:
        KeyError: `table` is not a published table.
        ValueError: `version` is neither 'latest' nor MAJOR.MINOR.PATCH.
        DownloadError: the table's file does not match the release's SHA256SUMS.
    """
    if table not in schemas.TABLES:
        raise KeyError(f"{table!r} is not a published table; choose one of {', '.join(schemas.TABLES)}")
    return _read(table, release_folder(version, source), validate)


def load_all(version: str = "latest", source: str | Path | None = None, validate: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of one release, by name: the tables its SHA256SUMS lists, so a release
    published before a table was added (or after one was removed) loads as published."""
    folder = release_folder(version, source)
    listed = listed_files(folder)
    return {name: _read(name, folder, validate) for name in sorted(Path(file).stem for file in listed if file.endswith(".parquet"))}
