"""Notes parsed by an earlier build, kept so that a build after a one-note change parses
one note. An entry is keyed by the note's path and bytes and the code and library
versions that read it (inputs.code_hash), so any change to either parses afresh. Only
notes that read without a problem are kept, and only once the build succeeded (`save`),
so a failed build leaves the outputs folder as it was; checks across notes always run.

The folder belongs to the build (outputs/.cache/notes), like Dagster's own run storage:
its entries are pickles, so nothing but this project's builds may write there.
"""

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.problems import Note


class NoteCache:
    def __init__(self, folder: Path, code: str):
        self.folder, self.code, self.used, self.pending = folder, code, set(), {}

    def read(self, path: Path, shown: str, parse: Callable[[], Note]) -> Note:
        """The note at `path` from the cache, or `parse()` stored for next time."""
        key = hashlib.sha256(f"{self.code}\0{shown}\0".encode() + path.read_bytes()).hexdigest()
        self.used.add(key)
        entry = self.folder / f"{key}.pickle"
        try:
            return pickle.loads(entry.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass  # absent, cut short or from other code: parse again
        note = parse()
        self.pending[entry] = pickle.dumps(note, protocol=pickle.HIGHEST_PROTOCOL)
        return note

    def save(self) -> None:
        """Store the notes parsed afresh and drop entries this build did not use, so the
        cache holds one entry per note. A cache that cannot be written costs time, never
        correctness."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for entry, data in self.pending.items():
                handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".entry-")
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, entry)
            for entry in self.folder.glob("*.pickle"):
                if entry.stem not in self.used:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass
        self.pending = {}
