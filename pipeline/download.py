"""Fetching a release from a mirror or folder and verifying every file against SHA256SUMS.

Files are fetched into a hidden folder beside the destination and renamed into place only
when every checksum matches, so a failed download leaves nothing half-written.
"""

import hashlib
import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.error
from pathlib import Path

from tqdm import tqdm

from pipeline import settings
from pipeline.problems import machine_error
from pipeline.release_index import EARLIER_FORMATS
from pipeline.release_source import OPENER, ReleaseSource, is_url

CHUNK = 1 << 20
PROGRESS_FROM_BYTES = 8 << 20
STAGING_PREFIX = ".download-"


class DownloadError(Exception):
    """A file could not be fetched or did not match its checksum; the message names it."""


def parse_sums(text: str) -> dict[str, str]:
    """File name to sha256 from a SHA256SUMS text; names must be plain file names."""
    sums = {}
    if not text.strip():
        raise DownloadError("SHA256SUMS is empty; the release cannot be verified")
    for number, line in enumerate(text.splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or "/" in name or "\\" in name or name.startswith("."):
            raise DownloadError(f"SHA256SUMS line {number}: not '<sha256>  <file name>': {line!r}")
        sums[name] = digest
    return sums


def _open(source: ReleaseSource, version: str, name: str, deadline: float):
    """A readable stream of one file, and its size if known; a silent server times out by the deadline."""
    if is_url(source.root):
        response = OPENER.open(source.location(version, name), timeout=max(0.1, min(60.0, deadline - time.monotonic())))
        length = response.headers.get("Content-Length")
        return response, int(length) if length else None
    path = Path(source.location(version, name))
    return open(path, "rb"), path.stat().st_size


def _fetch(source: ReleaseSource, version: str, name: str, target: Path, progress: bool, cap: int | None, deadline: float) -> str:
    """Copy one file to `target`, returning its sha256; stop past `cap` bytes or `deadline`.
    Errors of the source become DownloadError; errors writing `target` stay OSError."""
    digest = hashlib.sha256()
    written = 0
    with open(target, "wb") as out:
        stream, size = _source_call(name, lambda: _open(source, version, name, deadline))
        with stream, tqdm(
            total=size, unit="B", unit_scale=True, desc=name, disable=not progress or (size or 0) < PROGRESS_FROM_BYTES or not sys.stderr.isatty()
        ) as bar:
            while chunk := _source_call(name, lambda: stream.read1(CHUNK)):  # read1: what has arrived, so a drip meets the deadline
                written += len(chunk)
                if cap is not None and written > cap:
                    raise DownloadError(f"{name}: the server sent more than the {cap} bytes the release declares; stopped")
                if time.monotonic() > deadline:
                    raise DownloadError(f"{name}: the download took longer than {settings.download_deadline_seconds():.0f} s (ALLIANCES_DOWNLOAD_DEADLINE); stopped")
                digest.update(chunk)
                out.write(chunk)
                bar.update(len(chunk))
    return digest.hexdigest()


def _source_call(name: str, call):
    """`call()`, with a failure of the server or the source folder as one DownloadError."""
    try:
        return call()
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{name}: the server answered HTTP {error.code} ({error.reason})") from None
    except TimeoutError:
        raise DownloadError(f"{name}: the server stopped sending (timed out); stopped") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise DownloadError(f"{name}: download failed or was cut short ({getattr(error, 'reason', error)})") from None


def index_entry(releases: ReleaseSource, version: str) -> dict | None:
    """The index.json entry of `version`, or None where the source has no index (one version folder).

    Raises:
        DownloadError: index.json is there but is not a releases index.
    """
    try:
        index = json.loads(releases.read_bytes("index.json"))
    except FileNotFoundError:
        return None
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise DownloadError(f"{releases.location('index.json')}: the server answered HTTP {error.code} ({error.reason})") from None
    except (OSError, urllib.error.URLError) as error:
        raise DownloadError(f"{releases.location('index.json')}: cannot fetch it ({getattr(error, 'reason', error)})") from None
    except ValueError:
        raise DownloadError(f"{releases.location('index.json')} is not a releases index (not JSON)") from None
    entries = index.get("releases") if isinstance(index, dict) else None
    if not isinstance(entries, list):
        raise DownloadError(f"{releases.location('index.json')} is not a releases index (no list of releases)")
    return next((r for r in entries if isinstance(r, dict) and r.get("version") == version), None)


def _check_listing(entry: dict | None, sums_text: str, sums: dict[str, str]) -> None:
    """SHA256SUMS is the one the index recorded, and lists every table the index lists."""
    if entry is None:
        return
    for table in entry.get("row_counts", {}):
        for name in (f"{table}{suffix}" for suffix in entry.get("formats", EARLIER_FORMATS)):
            if name not in sums:
                raise DownloadError(f"SHA256SUMS does not list {name}, which the index says the release holds; it is partial or tampered with")
    recorded = entry.get("sha256sums")
    if recorded and hashlib.sha256(sums_text.encode("utf-8")).hexdigest() != recorded:
        raise DownloadError("SHA256SUMS differs from the one index.json recorded when the release was published; the release was changed or tampered with")


def _declared_sizes(releases: ReleaseSource, version: str, sums: dict[str, str]) -> dict[str, int]:
    """File sizes the release declares in datapackage.json (verified first), for the size cap."""
    if "datapackage.json" not in sums:
        return {}
    try:
        raw = releases.read_bytes(version, "datapackage.json")
    except (OSError, urllib.error.URLError) as error:
        raise DownloadError(f"datapackage.json: cannot fetch it from {releases.location(version)} ({getattr(error, 'reason', error)})") from None
    if hashlib.sha256(raw).hexdigest() != sums["datapackage.json"]:
        raise DownloadError("datapackage.json: checksum mismatch; the release was tampered with")
    return {r["path"]: int(r["bytes"]) for r in json.loads(raw).get("resources", []) if "bytes" in r}


def check_table_hashes(folder: Path, expected: dict[str, str]) -> None:
    """Each table's rows hash to what index.json recorded: a release whose files and
    SHA256SUMS were changed together is still caught."""
    from pipeline import table_files  # pandas and pandera, only once the files are verified

    for table, digest in sorted(expected.items()):
        try:
            actual = table_files.table_hashes({table: table_files.read_table(table, folder)})[table]
        except Exception as error:  # a tampered file may fail in pyarrow or pandera in many ways
            raise DownloadError(f"{table}.parquet: cannot be read as the published table ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})") from None
        if actual != digest:
            raise DownloadError(f"{table}.parquet: its rows differ from the table hash index.json recorded; the release was tampered with")


def listed_files(folder: Path) -> dict[str, str]:
    """File name to sha256 from the SHA256SUMS of a local release folder."""
    listing = folder / "SHA256SUMS"
    if not listing.is_file():
        raise DownloadError(f"{folder} has no SHA256SUMS; it is not a published release and cannot be verified")
    return parse_sums(listing.read_text(encoding="utf-8"))


def verify_folder(folder: Path, names: list[str] | None = None) -> None:
    """The files `names` (default: every file SHA256SUMS lists) match SHA256SUMS: cheap, and
    enough to catch a local copy edited or cut short after it was published or downloaded."""
    sums = listed_files(folder)
    for name in names if names is not None else sorted(sums):
        if name not in sums:
            raise DownloadError(f"{folder}: SHA256SUMS does not list {name}")
        digest = hashlib.sha256()
        try:
            with open(folder / name, "rb") as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
        except OSError as error:
            raise DownloadError(machine_error(error, f"cannot read {folder / name}")) from None
        if digest.hexdigest() != sums[name]:
            raise DownloadError(f"{folder / name}: does not match SHA256SUMS; the file was changed after it was published")


def _clean_stale_staging(destination: Path) -> None:
    """A download killed mid-way leaves a hidden staging folder; the next run removes it."""
    if destination.is_dir():
        for entry in destination.iterdir():
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)


def download(version: str, source: str | Path, destination: Path, progress: bool = True) -> Path:
    """Fetch release `version` ('latest' or SemVer) from `source` into `destination/<version>`.

    Raises:
        ValueError: `version` is not 'latest' or SemVer (checked before anything is fetched).
        DownloadError: a file is missing, cut short or does not match SHA256SUMS.
    """
    releases = ReleaseSource.of(source)
    version = releases.resolve(version)
    target = Path(destination) / version
    if target.exists():
        raise DownloadError(f"{target} already exists; remove it or choose another --to folder")
    try:
        sums_text = releases.read_bytes(version, "SHA256SUMS").decode("utf-8")
    except (OSError, urllib.error.URLError, UnicodeDecodeError) as error:
        raise DownloadError(f"SHA256SUMS: cannot fetch release {version} from {releases.location(version)} ({getattr(error, 'reason', error)})") from None
    expected = parse_sums(sums_text)
    entry = index_entry(releases, version)
    _check_listing(entry, sums_text, expected)
    sizes = _declared_sizes(releases, version, expected)
    deadline = time.monotonic() + settings.download_deadline_seconds()
    destination = Path(destination)
    created = not destination.exists()
    try:
        _clean_stale_staging(destination)
        destination.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=destination, prefix=f"{STAGING_PREFIX}{version}-"))
    except OSError as error:
        raise DownloadError(machine_error(error, f"cannot write into {destination}")) from None
    try:
        for name, digest in expected.items():
            actual = _fetch(releases, version, name, staging / name, progress, sizes.get(name), deadline)
            if actual != digest:
                raise DownloadError(f"{name}: checksum mismatch (SHA256SUMS says {digest}, the file has {actual}); the file is corrupt or was tampered with")
        check_table_hashes(staging, (entry or {}).get("table_hashes", {}))
        (staging / "SHA256SUMS").write_text(sums_text, encoding="utf-8")
        staging.chmod(0o755)
        os.rename(staging, target)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if created and destination.is_dir() and not any(destination.iterdir()):
            destination.rmdir()
        if isinstance(error, OSError):
            raise DownloadError(machine_error(error, f"cannot write into {destination}") + "; nothing was kept") from None
        raise
    return target
