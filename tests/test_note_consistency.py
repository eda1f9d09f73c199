"""Notes that contradict themselves, or hide what they say, are refused with file:line: field.
Each case edits the purpose-built fixture notes; the expected message is written out."""

from pathlib import Path

import pytest

from conftest import replace_in
from pipeline.notes import NotesInvalid, read_notes

PACT, PROGRAM, CLAIMS = "treaties/test-pact.yaml", "programs/test-program.yaml", "claims/test-claims.yaml"
SUSPENSION = "suspensions:\n  - by: {by}\n    toward: {toward}\n    since: {since}\n{until}    source: text\n"


def suspension(by="USA", toward="CAN", since="1975-01-01", until=None) -> tuple:
    text = SUSPENSION.format(by=by, toward=toward, since=since, until=f"    until: {until}\n" if until else "")
    return (PACT, "members:\n", text + "members:\n")


CASES = {
    # contradictions
    "empty-spell": ((PACT, "    left: 1970-03-01", "    left: 1960"), "raw/treaties/test-pact.yaml:29: members.2.left: FRA: left equals joined (1960): a spell must last"),
    "suspension-toward-itself": (suspension(toward="USA"), "raw/treaties/test-pact.yaml:19: suspensions.0.toward: USA cannot suspend its obligations toward itself"),
    "suspension-outside-membership": (suspension(toward="FRA", since="1975-01-01"), "raw/treaties/test-pact.yaml:20: suspensions.0.since: FRA is not a member on 1975-01-01, when the suspension begins"),
    "empty-suspension": (suspension(since="1975-01-01", until="1975-01-01"), "raw/treaties/test-pact.yaml:21: suspensions.0.until: until equals since (1975-01-01): a suspension must last"),
    "participant-before-program": ((PROGRAM, "    start_year: 1993\n    source: list\n  - country: LVA", "    start_year: 1990\n    source: list\n  - country: LVA"),
                                   "raw/programs/test-program.yaml:17: participants.0.start_year: EST: start_year 1990 is before the program began (1993)"),
    "activity-before-program": ((PROGRAM, "  - year: 2006", "  - year: 1980"), "raw/programs/test-program.yaml:25: activities.0.year: 1980 is outside the program's years (1993-today)"),
    "overlapping-partnerships": ((PROGRAM, "activities:\n", "  - country: LVA\n    us_state: MI\n    start_year: 1999\n    source: list\nactivities:\n"),
                                 "raw/programs/test-program.yaml:26: participants.2.start_year: LVA with MI: the spell from 1999 overlaps the one from 1993"),
    "duplicate-hosts": ((PROGRAM, "hosts: [PHL, IDN]", "hosts: [PHL, IDN, PHL]"), "raw/programs/test-program.yaml:28: activities.0.hosts: listed twice: PHL"),
    "count-as-text": ((CLAIMS, "count: 3", "count: '3'"), "raw/claims/test-claims.yaml:11: claims.0.count: Input should be a valid integer"),
    "count-as-float": ((CLAIMS, "count: 3", "count: 3.0"), "raw/claims/test-claims.yaml:11: claims.0.count: Input should be a valid integer"),
    "count-as-boolean": ((CLAIMS, "count: 3", "count: true"), "raw/claims/test-claims.yaml:11: claims.0.count: Input should be a valid integer"),
    "year-too-early": ((PROGRAM, "start_year: 1993\n    source: list\n  - country: LVA", "start_year: 1600\n    source: list\n  - country: LVA"),
                       "raw/programs/test-program.yaml:17: participants.0.start_year: Input should be greater than or equal to 1700"),
    # text that cannot be trusted
    "blank-name": ((PACT, "name: Test Pact of Mutual Defence", "name: '   '"), "raw/treaties/test-pact.yaml:3: name: is blank"),
    "bidi-override": ((PACT, "name: Test Pact of Mutual Defence", 'name: "Test \\u202eecnefeD"'),
                      "raw/treaties/test-pact.yaml:3: name: contains an invisible or control character, U+202E (RIGHT-TO-LEFT OVERRIDE), at position 6"),
    "zero-width": ((PACT, "short_name: TP", 'short_name: "T\\u200bP"'), "raw/treaties/test-pact.yaml:4: short_name: contains an invisible or control character, U+200B (ZERO WIDTH SPACE), at position 2"),
    "control-character": ((PACT, "title: Text of the Test Pact", 'title: "Text\\x07 of the Test Pact"'),
                          "raw/treaties/test-pact.yaml:15: sources.0.title: contains an invisible or control character, U+0007 (unnamed), at position 5"),
    "url-with-credentials": ((PACT, "url: https://example.org/test-pact", "url: https://user:secret@example.org/test-pact"),
                             "raw/treaties/test-pact.yaml:14: sources.0.url: 'https://user:secret@example.org/test-pact' carries a user name or password"),
    "absurd-url": ((PACT, "url: https://example.org/test-pact", "url: https://example.org/" + "a" * 2100), "raw/treaties/test-pact.yaml:14: sources.0.url: URL is 2120 characters long, over the limit of 2000"),
    "overlong-name": ((PACT, "name: Test Pact of Mutual Defence", "name: " + "N" * 501), "raw/treaties/test-pact.yaml:3: name: String should have at most 500 characters"),
    "overlong-quote": ((PACT, 'quote: "The Parties agree', 'quote: "' + "Q" * 5000 + "The Parties agree"), "raw/treaties/test-pact.yaml:16: sources.0.quote: String should have at most 5000 characters"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_is_refused_with_its_message(small_raw: Path, case):
    (path, old, new), expected = CASES[case]
    replace_in(small_raw / path, old, new)
    with pytest.raises(NotesInvalid) as caught:
        read_notes(small_raw)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
