"""Where the notes are read from and releases written to; environment variables override."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def raw_dir() -> Path:
    return Path(os.environ.get("ALLIANCES_RAW", PROJECT_ROOT / "raw"))


def outputs_dir() -> Path:
    return Path(os.environ.get("ALLIANCES_OUTPUTS", PROJECT_ROOT / "outputs"))


def mirrors() -> list[str]:
    """fsspec URLs (file://, s3://, ...) each release is copied to after publishing."""
    return os.environ.get("ALLIANCES_MIRRORS", "").split()


def lock_wait_seconds() -> float:
    """How long a build waits for another build's publishing lock before giving up."""
    return float(os.environ.get("ALLIANCES_LOCK_WAIT", "600"))


def download_deadline_seconds() -> float:
    """How long one download may take in all before it is cut off (a server that drips)."""
    return float(os.environ.get("ALLIANCES_DOWNLOAD_DEADLINE", "900"))
