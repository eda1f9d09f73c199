"""The state system: members must exist on the dates of their spells, and country_year covers
every state in every year of the system. Purpose-built notes only."""

from pathlib import Path

import pytest

from conftest import replace_in
from pipeline.build import build_tables
from pipeline.notes import NotesInvalid, read_notes

STATES = """\
last_reviewed: 2026-01-01
sources:
  - id: list
    url: https://example.org/states
    title: A state list
states:
  - {country: USA, cow_ccode: 2, since: 1816-01-01, source: list}
  - {country: CAN, cow_ccode: 20, since: CAN_SINCE, source: list}
  - {country: FRA, cow_ccode: 220, since: 1816-01-01, until: 1942-11-11, source: list}
  - {country: FRA, cow_ccode: 220, since: 1944-08-25, source: list}
  - {country: DDR, cow_ccode: 265, since: 1954-03-25, until: 1990-10-02, source: list}
"""


def with_states(raw: Path, can_since: str = "1920-01-10") -> Path:
    (raw / "states").mkdir()
    (raw / "states" / "system.yaml").write_text(STATES.replace("CAN_SINCE", can_since), encoding="utf-8")
    return raw


def problems(raw: Path) -> list[str]:
    with pytest.raises(NotesInvalid) as caught:
        read_notes(raw)
    return [str(p) for p in caught.value.problems]


def test_a_member_before_its_state_existed_is_refused_with_both_places(small_raw):
    found = problems(with_states(small_raw, can_since="1960-09-20"))
    assert len(found) == 1
    assert found[0].startswith("raw/treaties/test-pact.yaml:")
    assert "members.1.joined: CAN: joined 1950-06, but the state exists only from 1960-09-20 (raw/states/system.yaml:" in found[0]


def test_a_spell_reaching_past_the_end_of_its_state_is_refused(small_raw):
    replace_in(small_raw / "treaties/test-pact.yaml", "  - country: CAN\n", "  - country: DDR\n    role: original\n    joined: 1960-01-01\n    source: text\n  - country: CAN\n")
    (found,) = problems(with_states(small_raw))
    assert "DDR: the state ceased to exist on 1990-10-02" in found and "write left: 1990-10-03 or earlier" in found


def test_a_code_missing_from_the_state_system_is_refused(small_raw):
    replace_in(small_raw / "treaties/test-pact.yaml", "  - country: CAN\n", "  - country: MEX\n    role: original\n    joined: 1960-01-01\n    source: text\n  - country: CAN\n")
    (found,) = problems(with_states(small_raw))
    assert "test-pact.yaml:22: members.1.country: MEX: is not a state of the state system" in found


def test_occupation_gaps_do_not_end_a_state_and_a_month_covers_its_days(small_raw):
    # FRA's 1960-1970 spell falls after its 1942-1944 gap; CAN from 1950-06 is fine with a state from 1950-06-20
    notes = read_notes(with_states(small_raw, can_since="1950-06-20"))
    assert {m.country for m in notes.treaties[0].model.members} == {"USA", "CAN", "FRA"}


def test_country_year_has_every_state_year_with_zeros_and_flags_rows_outside_the_system(small_raw):
    tables = build_tables(read_notes(with_states(small_raw)), release_year=2000)
    years = tables["country_year"].set_index(["country_iso3", "year"])
    assert years.loc[("DDR", 1954), "treaty_count"] == 0 and years.loc[("DDR", 1954), "in_state_system"]
    assert ("DDR", 1991) not in years.index  # the state was gone
    assert ("FRA", 1943) not in years.index  # outside the system, and no treaty or program that year
    assert years.loc[("USA", 1816), "treaty_count"] == 0
    assert years.loc[("CAN", 1955), "treaty_count"] == 1 and years.loc[("CAN", 1955), "in_state_system"]
    assert len(years) == years.index.nunique()
