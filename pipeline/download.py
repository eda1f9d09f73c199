"""Fetching a release from a mirror or folder and verifying every file against SHA256SUMS.

Files are fetched into a hidden folder beside the destination and renamed into place only
when every checksum matches, so a failed download leaves nothing half-written.
"""

import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from pipeline.release_source import ReleaseSource, is_url

CHUNK = 1 << 20
PROGRESS_FROM_BYTES = 8 << 20


class DownloadError(Exception):
    """A file could not be fetched or did not match its checksum; the message names it."""


def parse_sums(text: str) -> dict[str, str]:
    """File name to sha256 from a SHA256SUMS text; names must be plain file names."""
    sums = {}
    for number, line in enumerate(text.splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or "/" in name or "\\" in name or name.startswith("."):
            raise DownloadError(f"SHA256SUMS line {number}: not '<sha256>  <file name>': {line!r}")
        sums[name] = digest
    return sums


def _open(source: ReleaseSource, version: str, name: str):
    """A readable stream of one file, and its size if known."""
    if is_url(source.root):
        response = urllib.request.urlopen(source.location(version, name), timeout=60)
        length = response.headers.get("Content-Length")
        return response, int(length) if length else None
    path = Path(source.location(version, name))
    return open(path, "rb"), path.stat().st_size


def _fetch(source: ReleaseSource, version: str, name: str, target: Path, progress: bool) -> str:
    """Copy one file to `target`, returning its sha256."""
    digest = hashlib.sha256()
    try:
        stream, size = _open(source, version, name)
        with stream, open(target, "wb") as out, tqdm(
            total=size, unit="B", unit_scale=True, desc=name, disable=not progress or (size or 0) < PROGRESS_FROM_BYTES
        ) as bar:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                bar.update(len(chunk))
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{name}: the server answered HTTP {error.code} ({error.reason})") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise DownloadError(f"{name}: download failed or was cut short ({error})") from None
    return digest.hexdigest()


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
    except (OSError, urllib.error.URLError) as error:
        raise DownloadError(f"SHA256SUMS: cannot fetch release {version} from {releases.location(version)} ({error})") from None
    expected = parse_sums(sums_text)
    Path(destination).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=destination, prefix=f".download-{version}-"))
    try:
        for name, digest in expected.items():
            actual = _fetch(releases, version, name, staging / name, progress)
            if actual != digest:
                raise DownloadError(f"{name}: checksum mismatch (SHA256SUMS says {digest}, the file has {actual}); the file is corrupt or was tampered with")
        (staging / "SHA256SUMS").write_text(sums_text, encoding="utf-8")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
