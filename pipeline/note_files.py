"""Which files under raw/ are notes. Every entry is read on purpose or refused with its
path: nothing is skipped in silence and no link is followed.

raw/ holds README.md and one folder per kind of note (treaties, programs, ...); each folder
holds `<id>.yaml` files and nothing else.
"""

import difflib
import stat
from pathlib import Path

from pipeline.problems import Problem

ALLOWED_TOP_FILES = {"README.md"}
_LOCK_OR_BACKUP = ("~", ".swp", ".swo", ".bak", ".orig", ".tmp")


def find_note_files(raw_dir: Path, kinds: list[str]) -> tuple[dict[str, list[Path]], list[Problem]]:
    """The note files of each kind, and a problem for everything else found."""
    found: dict[str, list[Path]] = {kind: [] for kind in kinds}
    if not raw_dir.is_dir():
        return found, [Problem(f"{raw_dir}", 0, "folder", "the notes folder does not exist")]
    problems = []
    for entry in sorted(raw_dir.iterdir()):
        shown = f"raw/{entry.name}"
        if entry.is_symlink():
            problems.append(_refused(shown, "symbolic links are not followed; put the note itself here"))
        elif entry.is_dir() and entry.name in found:
            problems += _read_folder(entry, shown, found[entry.name])
        elif entry.is_dir():
            guess = difflib.get_close_matches(entry.name.lower(), kinds, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            problems.append(_refused(shown, f"not a notes folder{hint}; the folders are {', '.join(kinds)}"))
        elif entry.name not in ALLOWED_TOP_FILES:
            problems.append(_refused(shown, f"{_what(entry)} at the top of raw/; notes go in the folders {', '.join(kinds)}"))
    if not any(found.values()) and not problems:
        problems.append(Problem("raw/", 0, "folder", "no notes found: a release is never built from an empty notes folder"))
    return found, problems


def _read_folder(folder: Path, shown_folder: str, into: list[Path]) -> list[Problem]:
    problems = []
    for entry in sorted(folder.iterdir()):
        shown = f"{shown_folder}/{entry.name}"
        if entry.is_symlink():
            problems.append(_refused(shown, "symbolic links are not followed; put the note itself here"))
        elif entry.is_dir():
            problems.append(_refused(shown, "folders inside a notes folder are not read; move its notes up"))
        elif not stat.S_ISREG(entry.stat().st_mode):
            problems.append(_refused(shown, "not a regular file (a pipe, socket or device)"))
        elif entry.name.startswith((".#", "#")) or entry.name.endswith(_LOCK_OR_BACKUP):
            problems.append(_refused(shown, "an editor's lock or backup file; save and close the note, then delete it"))
        elif entry.suffix == ".yaml" and not entry.name.startswith("."):
            into.append(entry)
        elif entry.suffix.lower() in (".yaml", ".yml"):
            problems.append(_refused(shown, f"notes end in .yaml (lower case); rename it to {entry.stem.lstrip('.')}.yaml"))
        else:
            problems.append(_refused(shown, f"{_what(entry)}: a notes folder holds only .yaml notes"))
    return problems


def _what(entry: Path) -> str:
    return "a file that is not a note" if entry.is_file() else "not a regular file"


def _refused(shown: str, message: str) -> Problem:
    return Problem(shown, 0, "file", message)
