"""Everything a build's output depends on, hashed: the notes, this project's code, the
library versions that shape the bytes, and the release year (the panels end there).
When the hash equals the one recorded with the latest release, a refresh stops early,
before it imports Dagster, pandas or pandera.
"""

import datetime as dt
import functools
import hashlib
from importlib.metadata import version
from pathlib import Path

from pipeline.release_index import latest_entry, read_index
from pipeline.settings import PROJECT_ROOT

_LIBRARIES = ("pandas", "pyarrow", "pandera", "matplotlib", "markdown", "pycountry", "countrycode", "pydantic", "pyyaml")


def _hash_files(digest, root: Path, pattern: str) -> None:
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")


def notes_hash(raw_dir: Path) -> str:
    """A hash of every file under `raw_dir`: names and contents."""
    digest = hashlib.sha256()
    _hash_files(digest, raw_dir, "*")
    return digest.hexdigest()


@functools.cache
def code_hash() -> str:
    """A hash of this project's code and the versions of the libraries that shape its output
    (computed once per process: the code does not change under a running build)."""
    digest = hashlib.sha256()
    for package in ("pipeline", "schemas"):
        _hash_files(digest, PROJECT_ROOT / package, "*.py")
    digest.update(" ".join(f"{name}={version(name)}" for name in _LIBRARIES).encode())
    return digest.hexdigest()


def inputs_hash(raw_dir: Path, release_year: int | None = None) -> str:
    digest = hashlib.sha256(notes_hash(raw_dir).encode())
    digest.update(code_hash().encode())
    digest.update(str(release_year or dt.date.today().year).encode())
    return digest.hexdigest()


def unchanged_release(outputs_dir: Path, digest: str) -> dict | None:
    """The latest release's index entry if the last completed build had exactly these
    inputs (index.json's `checked_inputs_hash`, written by every build that got that far)."""
    index = read_index(outputs_dir / "releases")
    latest = latest_entry(index)
    return latest if latest and index.get("checked_inputs_hash") == digest else None


def unchanged_reason(latest: dict) -> str:
    return f"notes and code unchanged since {latest['version']}"
