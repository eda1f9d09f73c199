"""Notes that contradict themselves or the world are refused with file:line: field.
Each case edits the purpose-built fixture notes; the expected message is written out."""

from pathlib import Path

import pytest

from conftest import assert_edit_refused

PACT, PROGRAM, CLAIMS = "treaties/test-pact.yaml", "programs/test-program.yaml", "claims/test-claims.yaml"
SUSPENSION = "suspensions:\n  - by: {by}\n    toward: {toward}\n    since: {since}\n{until}    source: text\n"


def suspension(by="USA", toward="CAN", since="1975-01-01", until=None) -> tuple:
    text = SUSPENSION.format(by=by, toward=toward, since=since, until=f"    until: {until}\n" if until else "")
    return (PACT, "members:\n", text + "members:\n")


ENDED = (PACT, "ended: null")
PROGRAM_ENDED = (PROGRAM, "started: 1993\n")

CASES = {
    # spells against the treaty's own dates
    "joined-before-entry-into-force": ((PACT, "    joined: 1950-06", "    joined: 1950-03"),
                                       "raw/treaties/test-pact.yaml:20: members.0.joined: USA: joined (1950-03-01) is before the treaty entered into force (1950-06-01)"),
    "joined-after-treaty-ended": ((*ENDED, "ended: 1975-01-01"), "raw/treaties/test-pact.yaml:33: members.3.joined: FRA: joined (1980-01-01) is after the treaty ended (1975-01-01)"),
    "still-in-after-treaty-ended": ((*ENDED, "ended: 1990-01-01"), "raw/treaties/test-pact.yaml:18: members.0.left: USA: left is empty but the treaty ended on 1990-01-01; write left: 1990-01-01"),
    "left-after-treaty-ended": ((*ENDED, "ended: 1965-01-01"), "raw/treaties/test-pact.yaml:29: members.2.left: FRA: left (1970-03-01) is after the treaty ended (1965-01-01)"),
    "ended-before-entry-into-force": ((*ENDED, "ended: 1949-01-01"), "raw/treaties/test-pact.yaml:9: ended: ended (1949-01-01) is before in_force (1950-06-01)"),
    "end-given-twice": ((*ENDED, "ended: 1990-01-01\nknown_in_force_until: 1989-01-01"),
                        "raw/treaties/test-pact.yaml:10: known_in_force_until: give either ended or known_in_force_until"),
    # participants and activities against the program's years
    "participant-after-program-ended": ((*PROGRAM_ENDED, "started: 1993\nended: 1998\n"),
                                        "raw/programs/test-program.yaml:23: participants.1.end_year: LVA: runs past the program's end (1998); the program's years are 1993-1998"),
    "participant-still-in-after-program-ended": ((*PROGRAM_ENDED, "started: 1993\nended: 2005\n"),
                                                 "raw/programs/test-program.yaml:16: participants.0.end_year: EST: end_year is empty but the program ended (2005)"),
    "activity-after-program-ended": ((*PROGRAM_ENDED, "started: 1993\nended: 2005\n"), "raw/programs/test-program.yaml:26: activities.0.year: 2006 is outside the program's years (1993-2005)"),
    # other contradictions
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
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_is_refused_with_its_message(small_raw: Path, case):
    edit, expected = CASES[case]
    assert_edit_refused(small_raw, edit, expected)
