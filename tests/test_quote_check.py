"""The check that a row's quote states its date and names its country, on purpose-built quotes."""

import datetime as dt

import pandas as pd
import pytest

from conftest import replace_in
from pipeline.build import validate
from pipeline.note_models import PartialDate
from pipeline.quote_check import dates_in, gaps, names_country


def day(text: str) -> PartialDate:
    return PartialDate(dt.date.fromisoformat(text), "day")


@pytest.mark.parametrize("quote", [
    "entered into force on November 17, 1954, for the Republic of Korea",
    "the Republic of Korea: in force 17 November 1954",
    "Korea ... 17th November, 1954",
    "Republic of Korea 1954-11-17",
    "Korea (11/17/1954)",
    "la República de Corea, 17 de noviembre de 1954, Korea",
])
def test_a_quote_with_the_day_and_the_country_states_everything(quote):
    assert gaps(quote, day("1954-11-17"), ["KOR"]) is None


@pytest.mark.parametrize(("quote", "expected"), [
    ("The Republic of Korea joined in 1954.", "day"),
    ("The Republic of Korea joined in November 1954.", "day"),
    ("The Republic of Korea joined.", "year"),
    ("North Korea signed on November 17, 1954.", "country"),
    ("Signed in 1953.", "year country"),
    ("", "no-quote"),
    (None, "no-quote"),
])
def test_what_a_quote_lacks_is_named(quote, expected):
    assert gaps(quote, day("1954-11-17"), ["KOR"]) == expected


def test_precision_sets_what_must_be_stated():
    assert gaps("Albania took part from 1999.", 1999, ["ALB"]) is None
    assert gaps("Albania, June 1999", PartialDate(dt.date(1999, 6, 1), "month"), ["ALB"]) is None
    assert gaps("Albania, 1999", PartialDate(dt.date(1999, 6, 1), "month"), ["ALB"]) == "day"


@pytest.mark.parametrize("text", [
    "in Kraft am 17. November 1954", "op 17 november 1954", "1954. november 17-én", "17 ноября 1954 года",
    "dne 17. listopadu 1954", "z dnia 17 listopada 1954 r.", "el 17 de novembre de 1954",
])
def test_dates_in_the_languages_of_treaty_texts_and_gazettes_are_read(text):
    assert (1954, 11, 17) in dates_in(text)


def test_two_digit_numeric_dates_are_read_both_ways():
    found = dates_in("Brazil 09/02/47 03/05/48")
    assert {(1947, 9, 2), (1947, 2, 9), (1948, 3, 5), (1948, 5, 3)} <= found


@pytest.mark.parametrize(("text", "iso3", "named"), [
    ("the U.S. Navy", "USA", True),
    ("tell us about it", "USA", False),
    ("the United States of America", "USA", True),
    ("USA", "USA", True),
    ("usa", "USA", False),
    ("Great Britain and Northern Ireland", "GBR", True),
    ("the Soviet Union", "SUN", True),
    ("the Federal Republic of Germany", "DEU", True),
    ("Viet Nam", "VNM", True),
    ("the Philippine Government", "PHL", True),
    ("Japanese forces", "JPN", True),
    ("France", "DEU", False),
])
def test_countries_are_found_by_their_names(text, iso3, named):
    assert names_country(text, iso3) is named


def test_every_row_of_a_build_carries_its_gaps(small_raw):
    replace_in(small_raw / "treaties/test-pact.yaml", "  - country: CAN\n    role: original\n    joined: 1950-06\n    source: text\n",
               "  - country: CAN\n    role: original\n    joined: 1950-06\n    source: text\n    quote: Canada became a party in June 1950.\n")
    built = validate(small_raw)[1]
    members = built["memberships"].set_index("country_iso3")
    assert members.loc["CAN", "quote_gaps"] is pd.NA
    assert members.loc["USA", "quote_gaps"] == "year country"  # the source's quote gives neither
