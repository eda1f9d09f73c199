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

from pipeline.release_source import OPENER, ReleaseSource, is_url

CHUNK = 1 << 20
PROGRESS_FROM_BYTES = 8 << 20
DEADLINE_SECONDS = float(os.environ.get("ALLIANCES_DOWNLOAD_DEADLINE", 900))
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


def _open(source: ReleaseSource, version: str, name: str):
    """A readable stream of one file, and its size if known."""
    if is_url(source.root):
        response = OPENER.open(source.location(version, name), timeout=60)
        length = response.headers.get("Content-Length")
        return response, int(length) if length else None
    path = Path(source.location(version, name))
    return open(path, "rb"), path.stat().st_size


def _fetch(source: ReleaseSource, version: str, name: str, target: Path, progress: bool, cap: int | None, deadline: float) -> str:
    """Copy one file to `target`, returning its sha256; stop past `cap` bytes or `deadline`."""
    digest = hashlib.sha256()
    written = 0
    try:
        stream, size = _open(source, version, name)
        with stream, open(target, "wb") as out, tqdm(
            total=size, unit="B", unit_scale=True, desc=name, disable=not progress or (size or 0) < PROGRESS_FROM_BYTES or not sys.stderr.isatty()
        ) as bar:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if cap is not None and written > cap:
                    raise DownloadError(f"{name}: the server sent more than the {cap} bytes the release declares; stopped")
                if time.monotonic() > deadline:
                    raise DownloadError(f"{name}: the download took longer than {DEADLINE_SECONDS:.0f} s (ALLIANCES_DOWNLOAD_DEADLINE); stopped")
                digest.update(chunk)
                out.write(chunk)
                bar.update(len(chunk))
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{name}: the server answered HTTP {error.code} ({error.reason})") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise DownloadError(f"{name}: download failed or was cut short ({getattr(error, 'reason', error)})") from None
    return digest.hexdigest()


def _declared(releases: ReleaseSource, version: str, sums: dict[str, str]) -> dict[str, int]:
    """File sizes the release declares in datapackage.json (verified first), for the size cap;
    and a check that every table the index lists is in SHA256SUMS."""
    sizes: dict[str, int] = {}
    if "datapackage.json" in sums:
        try:
            raw = releases.read_bytes(version, "datapackage.json")
        except (OSError, urllib.error.URLError) as error:
            raise DownloadError(f"datapackage.json: cannot fetch it from {releases.location(version)} ({getattr(error, 'reason', error)})") from None
        if hashlib.sha256(raw).hexdigest() != sums["datapackage.json"]:
            raise DownloadError("datapackage.json: checksum mismatch; the release was tampered with")
        sizes = {r["path"]: int(r["bytes"]) for r in json.loads(raw).get("resources", []) if "bytes" in r}
    try:
        index = json.loads(releases.read_bytes("index.json"))
        entry = next((r for r in index.get("releases", []) if r.get("version") == version), None)
    except (OSError, ValueError, urllib.error.URLError):
        entry = None  # a single version folder has no index
    for table in (entry or {}).get("row_counts", {}):
        for name in (f"{table}.csv", f"{table}.parquet"):
            if name not in sums:
                raise DownloadError(f"SHA256SUMS does not list {name}, which the index says the release holds; it is partial or tampered with")
    return sizes


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
    sizes = _declared(releases, version, expected)
    deadline = time.monotonic() + DEADLINE_SECONDS
    destination = Path(destination)
    created = not destination.exists()
    _clean_stale_staging(destination)
    destination.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=destination, prefix=f"{STAGING_PREFIX}{version}-"))
    try:
        for name, digest in expected.items():
            actual = _fetch(releases, version, name, staging / name, progress, sizes.get(name), deadline)
            if actual != digest:
                raise DownloadError(f"{name}: checksum mismatch (SHA256SUMS says {digest}, the file has {actual}); the file is corrupt or was tampered with")
        (staging / "SHA256SUMS").write_text(sums_text, encoding="utf-8")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(destination.iterdir()):
            destination.rmdir()
        raise
    target.chmod(0o755)
    return target
