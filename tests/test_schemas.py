"""Each schema and cross-table check on a purpose-built bad frame."""

import pandas as pd
import pytest

from conftest import PROJECT, replace_in
from pipeline import validation
from pipeline.build import build_tables
from pipeline.notes import read_notes


@pytest.fixture
def built(small_raw):
    notes = read_notes(small_raw)
    return notes, build_tables(notes)


def messages(table, df):
    return [str(p) for p in validation.schema_problems(table, df)]


def test_the_good_tables_pass(built):
    _, tables = built
    for name, df in tables.items():
        assert messages(name, df) == [], name
    assert validation.foreign_key_problems(tables) == []


def test_duplicate_treaty_ids(built):
    _, tables = built
    df = pd.concat([tables["treaties"]] * 2, ignore_index=True)
    assert any("treaties.treaty_id: field_uniqueness" in m for m in messages("treaties", df))


def test_unknown_iso_code_names_the_note_and_line(built):
    _, tables = built
    df = tables["memberships"].copy()
    df.loc[1, "country_iso3"] = "XXX"
    [problem] = validation.schema_problems("memberships", df)
    assert problem.path == "raw/treaties/test-pact.yaml" and problem.line == df.loc[1, "_line"]
    assert problem.field == "memberships.country_iso3" and "'XXX'" in problem.message


def test_former_states_and_kosovo_are_valid_codes(built):
    _, tables = built
    df = tables["memberships"].copy()
    df.loc[0, "country_iso3"], df.loc[1, "country_iso3"], df.loc[2, "country_iso3"] = "SUN", "DDR", "XKX"
    assert messages("memberships", df) == []


def test_left_before_joined(built):
    _, tables = built
    df = tables["memberships"].copy()
    df.loc[2, "left"] = pd.Timestamp("1955-01-01")
    assert any("left is before joined" in m for m in messages("memberships", df))


def test_overlapping_spells(built):
    _, tables = built
    df = tables["memberships"].copy()
    france = df.index[df.country_iso3 == "FRA"]
    df.loc[france[0], "left"] = pd.NaT  # the first spell never ends, so the second overlaps it
    assert any("overlaps an earlier spell" in m for m in messages("memberships", df))


def test_treaty_dates_in_order(built):
    _, tables = built
    df = tables["treaties"].copy()
    df.loc[0, "ended"] = pd.Timestamp("1940-01-01")
    assert any("in_force is after ended" in m for m in messages("treaties", df))


def test_participant_checks(built):
    _, tables = built
    df = tables["program_participants"].copy()
    df.loc[0, "us_state"] = "ZZ"
    df.loc[1, "end_year"] = 1980
    found = messages("program_participants", df)
    assert any("program_participants.us_state" in m and "'ZZ'" in m for m in found)
    assert any("end_year is before start_year" in m for m in found)


def test_precision_must_be_known(built):
    _, tables = built
    df = tables["treaties"].copy()
    df.loc[0, "signed_precision"] = "week"
    assert any("treaties.signed_precision" in m for m in messages("treaties", df))


def test_foreign_keys_that_do_not_resolve(built):
    _, tables = built
    tables = dict(tables)
    tables["memberships"] = tables["memberships"].copy()
    tables["memberships"].loc[0, "treaty_id"] = "no-such-pact"
    tables["program_activities"] = tables["program_activities"].copy()
    tables["program_activities"].loc[0, "host_country_iso3"] = "NZL"  # a real code absent from countries
    found = [str(p) for p in validation.foreign_key_problems(tables)]
    assert any("memberships.treaty_id: 'no-such-pact' is not a treaties.treaty_id" in m for m in found)
    assert any("program_activities.host_country_iso3: 'NZL' is not a countries.country_iso3" in m for m in found)


def test_claims_agree_or_report_both_numbers(small_raw):
    replace_in(small_raw / "claims/test-claims.yaml", "as_of: 2001-06-30\n    count: 1", "as_of: 2001-06-30\n    count: 2")
    notes = read_notes(small_raw)
    results = validation.claim_results(notes, build_tables(notes))
    assert [(r["claim"], r["claimed"], r["computed"]) for r in results] == [("test-pact-1965", 3, 3), ("test-program-2001", 2, 1)]
    [problem] = validation.claim_problems(results)
    assert problem.path == "raw/claims/test-claims.yaml"
    assert "says 2 participants of test-program on 2001-06-30, the tables give 1" in problem.message
    explained = [dict(r, explanation="LVA left in 2000 but the source still counts it") for r in results]
    assert validation.claim_problems(explained) == []


def test_cow_overrides_differ_from_the_library():
    """Each curated COW code is there because the countrycode library is wrong or silent;
    an override without a code records that COW lists no such state."""
    from pipeline.countries import library_cow_codes

    notes = read_notes(PROJECT / "raw")
    overrides = [o for n in notes.cow_overrides for o in n.model.overrides]
    assert overrides
    library = library_cow_codes([o.country for o in overrides])
    for o in overrides:
        if o.cow_ccode is None:
            assert library[o.country] == (None, None)
            continue
        assert library[o.country] != (o.cow_ccode, o.cow_abbrev), f"{o.country}: override equals the library"
