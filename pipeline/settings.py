"""Where the notes are read from and releases written to; environment variables override."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def raw_dir() -> Path:
    return Path(os.environ.get("ALLIANCES_RAW", PROJECT_ROOT / "raw"))


def outputs_dir() -> Path:
    return Path(os.environ.get("ALLIANCES_OUTPUTS", PROJECT_ROOT / "outputs"))
