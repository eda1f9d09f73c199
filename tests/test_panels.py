"""Country-year and dyad-year panels, on purpose-built frames and on the real notes."""

import pandas as pd
import pytest

from pipeline import panels, validation
from pipeline.build import build_tables
from pipeline.notes import read_notes
from schemas.codes import OBLIGATION_TYPES

T = pd.Timestamp


def frames():
    treaties = pd.DataFrame({"treaty_id": ["pact", "talks"], "ended": [pd.NaT, T("1975-06-30")], "ended_precision": [None, "day"], "known_in_force_until": [pd.NaT, pd.NaT]})
    memberships = _held(pd.DataFrame({
        "treaty_id": ["pact", "pact", "pact", "talks", "talks"],
        "country_iso3": ["USA", "NZL", "AUS", "USA", "NZL"],
        "joined": [T("1952-04-29"), T("1952-04-29"), T("1960-03-01"), T("1970-01-01"), T("1970-01-01")],
        "left": [pd.NaT, pd.NaT, T("1962-01-15"), pd.NaT, pd.NaT],
        "left_precision": [None, None, "day", None, None],
    }), {"pact": {"defense"}, "talks": {"consultation"}})
    suspensions = pd.DataFrame({"treaty_id": ["pact"], "suspended_by": ["USA"], "suspended_toward": ["NZL"], "started": [T("1986-08-11")], "ended": [pd.NaT]})
    countries = pd.DataFrame({"country_iso3": ["USA", "NZL", "AUS"], "cow_ccode": pd.array([2, 920, 900], dtype="Int64")})
    periods = pd.DataFrame({"country_iso3": ["AUS"], "from_year": [1960], "until_year": [1961], "cow_ccode": [901]})
    return treaties, memberships, suspensions, countries, periods


def _held(memberships, by_treaty, toward=None):
    """Give every member the obligation types of its treaty, toward every other member unless `toward` says."""
    for kind in OBLIGATION_TYPES:
        memberships[kind] = [kind in by_treaty[t] for t in memberships.treaty_id]
    memberships["obligations_toward"] = toward if toward is not None else None
    return memberships


def test_guarantors_hold_obligations_toward_the_guaranteed_state_only():
    """Two states jointly promise to defend a third (ATOP's SHAREOB case): the pair of guarantors shares the treaty but holds nothing."""
    memberships = _held(pd.DataFrame({
        "treaty_id": ["guarantee"] * 3, "country_iso3": ["GBR", "FRA", "SWE"],
        "joined": [T("1950-01-01")] * 3, "left": [pd.NaT] * 3, "left_precision": [None] * 3,
    }), {"guarantee": {"defense", "consultation"}}, toward=["SWE", "SWE", None])
    treaties = pd.DataFrame({"treaty_id": ["guarantee"], "ended": [pd.NaT], "ended_precision": [None], "known_in_force_until": [pd.NaT]})
    countries = pd.DataFrame({"country_iso3": ["GBR", "FRA", "SWE"], "cow_ccode": pd.array([200, 220, 380], dtype="Int64")})
    empty = pd.DataFrame(columns=["treaty_id", "suspended_by", "suspended_toward", "started", "ended"])
    periods = pd.DataFrame(columns=["country_iso3", "from_year", "until_year", "cow_ccode"])
    dyads = panels.dyad_year(memberships, treaties, empty, countries, periods, 1950)
    assert row(dyads, "FRA", "SWE", 1950)["defense"] and row(dyads, "GBR", "SWE", 1950)["defense"]
    neighbours = row(dyads, "FRA", "GBR", 1950)
    assert neighbours["shared_treaty_ids"] == "guarantee" and not neighbours["defense"] and not neighbours["consultation"]


def row(df, a, b, year):
    [found] = df[(df.country_a == a) & (df.country_b == b) & (df.year == year)].to_dict("records")
    return found


def test_dyad_years_follow_spells_endings_and_suspensions():
    treaties, memberships, suspensions, countries, periods = frames()
    dyads = panels.dyad_year(memberships, treaties, suspensions, countries, periods, 1990)
    assert row(dyads, "NZL", "USA", 1952)["shared_treaty_ids"] == "pact"
    both = row(dyads, "NZL", "USA", 1972)
    assert (both["shared_treaty_ids"], both["shared_treaty_count"], both["defense"], both["consultation"]) == ("pact talks", 2, True, True)
    assert row(dyads, "NZL", "USA", 1975)["shared_treaty_count"] == 2  # talks ended mid-1975: still in force that year
    assert row(dyads, "NZL", "USA", 1976)["shared_treaty_ids"] == "pact"
    assert row(dyads, "NZL", "USA", 1986)["defense"]  # suspended in August: not for the whole year
    later = row(dyads, "NZL", "USA", 1987)
    assert not later["defense"] and not later["offense"] and later["suspended_treaty_ids"] == "pact"
    aus = dyads[(dyads.country_a == "AUS") & (dyads.country_b == "USA")]
    assert aus.year.tolist() == [1960, 1961, 1962]
    assert aus.cow_ccode_a.tolist() == [901, 901, 900]
    assert dyads.year.max() == 1990 and (dyads.country_a < dyads.country_b).all()


def test_spells_end_in_the_last_year_they_cover():
    treaties = pd.DataFrame({"treaty_id": ["old", "vague"], "ended": [T("1980-01-01"), pd.NaT], "ended_precision": ["day", None], "known_in_force_until": [pd.NaT, T("1962-05-01")]})
    memberships = pd.DataFrame({
        "treaty_id": ["old"] * 3 + ["vague"], "country_iso3": ["USA", "AUS", "NZL", "FRA"], "joined": [T("1955-03-03")] * 4,
        "left": [pd.NaT, T("1978-01-01"), T("1979-01-01"), pd.NaT], "left_precision": [None, "day", "year", None],
    })
    years = panels.member_years(memberships, treaties, 1990)
    last = years[years.treaty_id == "old"].groupby("country_iso3").year.max().to_dict()
    # a treaty whose end no source states counts to the last year a source shows it in force
    assert years[years.treaty_id == "vague"].year.tolist() == list(range(1955, 1963))
    # the treaty ended 1980-01-01 and AUS left 1978-01-01, to the day: last years 1979 and 1977; NZL left in "1979" (year only)
    assert last == {"USA": 1979, "AUS": 1977, "NZL": 1979}


def test_country_years_count_treaties_allies_and_programs():
    treaties, memberships, suspensions, countries, periods = frames()
    dyads = panels.dyad_year(memberships, treaties, suspensions, countries, periods, 1990)
    participants = pd.DataFrame({"country_iso3": ["NZL"], "program_id": ["drills"], "start_year": pd.array([1980], dtype="Int64"), "end_year": pd.array([1982], dtype="Int64")})
    activities = pd.DataFrame({"host_country_iso3": ["AUS"], "program_id": ["mission"], "year": pd.array([1989], dtype="Int64")})
    years = panels.country_year(memberships, treaties, dyads, participants, activities, countries, periods, 1990)
    nzl = years[years.country_iso3 == "NZL"].set_index("year")
    assert nzl.index.min() == 1952 and nzl.index.max() == 1990
    assert nzl.loc[1972, "treaty_count"] == 2 and nzl.loc[1972, "treaty_ids"] == "pact talks"
    assert nzl.loc[1986, "allied_with_usa"] and not nzl.loc[1987, "allied_with_usa"]
    assert nzl.loc[1981, "program_ids"] == "drills" and pd.isna(nzl.loc[1983, "program_ids"])
    aus = years[years.country_iso3 == "AUS"].set_index("year")
    assert aus.loc[1963, "treaty_count"] == 0 and not aus.loc[1963, "allied_with_usa"]
    assert aus.loc[1989, "program_ids"] == "mission" and aus.loc[1960, "cow_ccode"] == 901
    assert not years[years.country_iso3 == "USA"].allied_with_usa.any()


@pytest.fixture(scope="module")
def real():
    from conftest import PROJECT

    return build_tables(read_notes(PROJECT / "raw"), release_year=2026)


def test_the_real_data_keeps_the_panel_rules(real):
    """Rules that hold whatever the notes say: suspensions show, Germany's code follows the year."""
    dyads = real["dyad_year"]
    for s in real["suspensions"].itertuples():
        a, b = sorted((s.suspended_by, s.suspended_toward))
        first_full_year = s.started.year + 1
        if pd.isna(s.ended) or s.ended.year > first_full_year:
            assert s.treaty_id in row(dyads, a, b, first_full_year)["suspended_treaty_ids"].split()
    germany = pd.concat([dyads.loc[dyads.country_a == "DEU", ["year", "cow_ccode_a"]].set_axis(["year", "code"], axis=1),
                         dyads.loc[dyads.country_b == "DEU", ["year", "cow_ccode_b"]].set_axis(["year", "code"], axis=1)])
    assert (germany["code"] == germany["year"].between(1955, 1989).map({True: 260, False: 255})).all()
    assert validation.schema_problems("dyad_year", dyads) == []
    assert validation.schema_problems("country_year", real["country_year"]) == []


def test_members_on_and_partners_on_from_a_release(small_raw, tmp_path):
    """On the fixture: USA and CAN from 1950-06, France 1960 to 1970-03-01 and again from 1980."""
    import pipeline
    from pipeline.build import build

    build(small_raw, tmp_path)
    assert sorted(pipeline.members_on("test-pact", "1965-06-01", source=tmp_path).country_iso3) == ["CAN", "FRA", "USA"]
    assert sorted(pipeline.members_on("test-pact", "1970-03-01", source=tmp_path).country_iso3) == ["CAN", "USA"]  # left that day
    assert sorted(pipeline.partners_on("test-program", 2001, source=tmp_path).country_iso3) == ["EST"]  # LVA ended 2000
    with pytest.raises(KeyError, match="no treaty 'no-such-pact'"):
        pipeline.members_on("no-such-pact", "1970-01-01", source=tmp_path)
