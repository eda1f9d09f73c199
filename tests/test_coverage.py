"""The coverage table on the fixture notes: the Test Pact, signed 1950-01-15, with USA and
CAN (North America) from 1950-06, and France (Europe & Central Asia) from 1960 to
1970-03-01 and again, unconfirmed, from 1980-01-01. Program countries hold no spell."""

from conftest import replace_in
from pipeline.build import validate


def coverage_rows(raw) -> dict[tuple[int, str], dict]:
    table = validate(raw)[1]["coverage"]
    return {(r.pop("decade"), r.pop("region")): r for r in table.astype(object).to_dict("records")}


def counts(treaties=0, spells=0, countries=0, unconfirmed_spells=0, unconfirmed_treaties=0, with_atop_id=0) -> dict:
    return {"treaties": treaties, "treaties_unconfirmed": unconfirmed_treaties, "treaties_with_atop_id": with_atop_id,
            "spells": spells, "spells_unconfirmed": unconfirmed_spells, "countries": countries}


def test_treaties_count_in_their_decade_in_every_region_of_their_members(small_raw):
    assert coverage_rows(small_raw) == {
        (1950, "North America"): counts(treaties=1, spells=2, countries=2),
        (1950, "Europe & Central Asia"): counts(treaties=1),
        (1950, "all"): counts(treaties=1, spells=2, countries=2),
        (1960, "Europe & Central Asia"): counts(spells=1, countries=1),
        (1960, "all"): counts(spells=1, countries=1),
        (1980, "Europe & Central Asia"): counts(spells=1, countries=1, unconfirmed_spells=1),
        (1980, "all"): counts(spells=1, countries=1, unconfirmed_spells=1),
    }


def test_a_treaty_without_dates_begins_with_its_first_member(small_raw):
    note = small_raw / "treaties/test-pact.yaml"
    replace_in(note, "signed: 1950-01-15", "signed: null")
    replace_in(note, "in_force: 1950-06", "in_force: null\natop_id: 9001\nunconfirmed: true")
    replace_in(note, "  - country: USA\n    role: original\n    joined: 1950-06", "  - country: USA\n    role: original\n    joined: 1949-12")
    rows = coverage_rows(small_raw)
    assert rows[(1940, "all")] == counts(treaties=1, spells=1, countries=1, unconfirmed_spells=1, unconfirmed_treaties=1, with_atop_id=1)
    assert rows[(1950, "all")] == counts(spells=1, countries=1, unconfirmed_spells=1)
