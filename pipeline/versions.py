"""Release version strings: strict SemVer, parsed with a message that quotes bad input."""

import re

# Matched whole with fullmatch: "$" would let a trailing newline through, and "\d" other
# scripts' digits.
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def parse_version(text: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a strict SemVer string such as '1.4.0'.

    Raises:
        ValueError: quoting the text, when it is not MAJOR.MINOR.PATCH.
    """
    match = SEMVER.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a version of the form MAJOR.MINOR.PATCH (e.g. 1.4.0)")
    return tuple(int(part) for part in match.groups())
