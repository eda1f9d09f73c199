"""What the note readers report: a problem at a file, line and field, and a note with the
line of each of its values. Kept apart so that every checking module can use them."""

from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a note, located as precisely as the reader can."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def machine_error(error: OSError, doing: str) -> str:
    """One line for a failure of the machine (disk full, read-only folder, no permission):
    what was being done, the path, and the cause, without a traceback."""
    path = f" ({error.filename})" if error.filename else ""
    return f"{doing}: {error.strerror or error}{path}"


class NotesInvalid(Exception):
    """Raised with every problem found in the notes, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Note:
    """A validated note, where it came from, and the line of each of its values."""

    path: str
    model: BaseModel
    lines: dict[tuple, int]

    def line(self, *where) -> int:
        """Line of the value at `where` (keys and list indexes), or of its nearest parent."""
        for end in range(len(where), -1, -1):
            if where[:end] in self.lines:
                return self.lines[where[:end]]
        return 1
