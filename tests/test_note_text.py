"""Text that cannot be trusted is refused with file:line: field: blank names, characters that
hide or reorder what a reader sees, URLs that are not plain web addresses, and text past its
length limit. Each case edits the purpose-built fixture notes; the expected message is written out."""

from pathlib import Path

import pytest

from conftest import assert_edit_refused

PACT, PROGRAM, CLAIMS = "treaties/test-pact.yaml", "programs/test-program.yaml", "claims/test-claims.yaml"
NAME = (PACT, "name: Test Pact of Mutual Defence")
URL = (PACT, "url: https://example.org/test-pact")


def invisible(field_line: str, character: str, name: str, position: int) -> str:
    return f"{field_line}: contains an invisible or control character, U+{ord(character):04X} ({name}), at position {position}"


CASES = {
    # blank
    "blank-name": ((*NAME, "name: '   '"), "raw/treaties/test-pact.yaml:3: name: is blank"),
    "tab-only-name": ((*NAME, 'name: "\\t\\t"'), "raw/treaties/test-pact.yaml:3: name: is blank"),
    "empty-name": ((*NAME, "name: ''"), "raw/treaties/test-pact.yaml:3: name: String should have at least 1 character"),
    "blank-source-title": ((PACT, "title: Text of the Test Pact", "title: ' '"), "raw/treaties/test-pact.yaml:15: sources.0.title: is blank"),
    "blank-member-note": ((PACT, "note: The text says France rejoined; no date is given.", "note: '  '"), "raw/treaties/test-pact.yaml:36: members.3.note: is blank"),
    "blank-program-description": ((PROGRAM, "description: Pairs test states with test nations.", "description: ' '"), "raw/programs/test-program.yaml:7: description: is blank"),
    # invisible, reordering and control characters
    "bidi-override": ((*NAME, 'name: "Test \\u202eecnefeD"'), invisible("raw/treaties/test-pact.yaml:3: name", "\u202e", "RIGHT-TO-LEFT OVERRIDE", 6)),
    "bidi-isolate": ((*NAME, 'name: "Test \\u2067Pact"'), invisible("raw/treaties/test-pact.yaml:3: name", "\u2067", "RIGHT-TO-LEFT ISOLATE", 6)),
    "zero-width": ((PACT, "short_name: TP", 'short_name: "T\\u200bP"'), invisible("raw/treaties/test-pact.yaml:4: short_name", "\u200b", "ZERO WIDTH SPACE", 2)),
    "byte-order-mark-inside": ((*NAME, 'name: "Test\\ufeff Pact"'), invisible("raw/treaties/test-pact.yaml:3: name", "\ufeff", "ZERO WIDTH NO-BREAK SPACE", 5)),
    "line-separator": ((PACT, "title: Text of the Test Pact", 'title: "Text\\u2028of the Test Pact"'), invisible("raw/treaties/test-pact.yaml:15: sources.0.title", "\u2028", "LINE SEPARATOR", 5)),
    "control-character": ((PACT, "title: Text of the Test Pact", 'title: "Text\\x07 of the Test Pact"'), invisible("raw/treaties/test-pact.yaml:15: sources.0.title", "\x07", "unnamed", 5)),
    "escape-sequence-in-quote": ((PACT, 'quote: "The Parties agree', 'quote: "\\e[2JThe Parties agree'), invisible("raw/treaties/test-pact.yaml:16: sources.0.quote", "\x1b", "unnamed", 1)),
    "private-use-character": ((PROGRAM, "name: Test Mission 2006", 'name: "Test Mission \\ue000 2006"'), invisible("raw/programs/test-program.yaml:26: activities.0.name", "\ue000", "unnamed", 14)),
    # URLs
    "url-with-credentials": ((*URL, "url: https://user:secret@example.org/test-pact"),
                             "raw/treaties/test-pact.yaml:14: sources.0.url: 'https://user:secret@example.org/test-pact' carries a user name or password"),
    "url-with-user-only": ((*URL, "url: https://curator@example.org/test-pact"), "raw/treaties/test-pact.yaml:14: sources.0.url: 'https://curator@example.org/test-pact' carries a user name or password"),
    "absurd-url": ((*URL, "url: https://example.org/" + "a" * 2100), "raw/treaties/test-pact.yaml:14: sources.0.url: URL is 2120 characters long, over the limit of 2000"),
    "javascript-url": ((*URL, "url: javascript:alert(1)"), "raw/treaties/test-pact.yaml:14: sources.0.url: 'javascript:alert(1)' is not an http(s) URL"),
    "file-url": ((*URL, "url: file:///etc/passwd"), "raw/treaties/test-pact.yaml:14: sources.0.url: 'file:///etc/passwd' is not an http(s) URL"),
    "url-with-space": ((*URL, "url: https://example.org/test pact"), "raw/treaties/test-pact.yaml:14: sources.0.url: 'https://example.org/test pact' is not an http(s) URL"),
    "program-source-url": ((PROGRAM, "url: https://example.org/partners", "url: data:text/html,hi"), "raw/programs/test-program.yaml:12: sources.0.url: 'data:text/html,hi' is not an http(s) URL"),
    # lengths
    "overlong-name": ((*NAME, "name: " + "N" * 501), "raw/treaties/test-pact.yaml:3: name: String should have at most 500 characters"),
    "overlong-quote": ((PACT, 'quote: "The Parties agree', 'quote: "' + "Q" * 5000 + "The Parties agree"), "raw/treaties/test-pact.yaml:16: sources.0.quote: String should have at most 5000 characters"),
    "overlong-member-note": ((PACT, "note: The text says France rejoined; no date is given.", "note: " + "n" * 5001), "raw/treaties/test-pact.yaml:36: members.3.note: String should have at most 5000 characters"),
    "overlong-source-id": ((PACT, "source: text\nsources:\n  - id: text", "source: text\nsources:\n  - id: " + "t" * 81), "raw/treaties/test-pact.yaml:13: sources.0.id: String should have at most 80 characters"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_is_refused_with_its_message(small_raw: Path, case):
    edit, expected = CASES[case]
    assert_edit_refused(small_raw, edit, expected)
