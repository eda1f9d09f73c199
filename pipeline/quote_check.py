"""Does a row's quote state the value it supports? Its date (the year, and the day when the
row is dated to the day) and its country.

The answer is published per row as `quote_gaps` (null when the quote states both), so a
user can filter, and the release reports the share. The check reads text only; it cannot
tell a quote that says a mission was "scheduled" from one that says it took place.
"""

import calendar
import datetime as dt
import functools
import re

import pycountry
from countrycode import codelist

from pipeline.note_models import PartialDate

# Month names in the languages the quoted treaty texts and gazettes are written in (in the
# form a date uses them: Polish, Czech, Slovak and Russian in the genitive).
_MONTHS_BY_LANGUAGE = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "ledna února března dubna května června července srpna září října listopadu prosince",
    "januára februára marca apríla mája júna júla augusta septembra októbra novembra decembra",
    "január február március április május június július augusztus szeptember október november december",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
)
_MONTH_NAMES = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
    **{name: number for names in _MONTHS_BY_LANGUAGE for number, name in enumerate(names.split(), 1)},
}
_MONTH = "(" + "|".join(sorted(map(re.escape, _MONTH_NAMES), key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|º|o|\.)?"
_YEAR = r"(1[6-9]\d\d|20\d\d)"
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}(?:\s+de)?\s+{_MONTH},?(?:\s+de)?\s+{_YEAR}\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
_YEAR_MONTH_DAY = re.compile(rf"\b{_YEAR}\.?\s+{_MONTH}\s+(\d{{1,2}})\b", re.IGNORECASE)  # Hungarian: 1967. május 18.
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
_BARE_YEAR = re.compile(rf"\b{_YEAR}\b")

# Names the libraries' name lists miss, or regexes written for whole names that cannot be
# searched for inside a sentence (countrycode's Korea pattern refuses any text with d..p..r).
_EXTRA_NAMES = {
    "USA": r"united states|\bamerica",
    "GBR": r"united kingdom|britain|british",
    "KOR": r"(?<!north )(?<!people's republic of )(?<!people’s republic of )\bkorea",
    "PRK": r"north korea|democratic people.s republic of korea",
    "TWN": r"taiwan|formosa|republic of china",
    "CHN": r"people.s republic of china|\bchina\b(?! sea)",
    "DEU": r"germany|german\b|federal republic",
    "DDR": r"german democratic republic|east germany",
    "SUN": r"soviet|u\.?s\.?s\.?r",
    "RUS": r"russia",
    "VNM": r"viet ?nam",
    "MKD": r"macedonia",
    "CZE": r"czech",
    "CSK": r"czechoslovak",
    "YUG": r"yugoslav",
    "NZL": r"new zealand",
    "PHL": r"philippine",
    "NLD": r"netherlands|dutch|holland",
    "TUR": r"turkey|türkiye|turkish",
    "IRN": r"\biran|persia",
    "LAO": r"\blao",
    "KHM": r"cambodia",
    "MMR": r"burma|myanmar",
    "FSM": r"micronesia",
    "MHL": r"marshall islands",
    "BOL": r"bolivia",
    "VEN": r"venezuela",
    "SYR": r"syria",
    "TZA": r"tanzania",
    "MDA": r"moldova",
    "XKX": r"kosovo",
}
# Abbreviations, matched in upper case only ("US" is a country, "us" a pronoun).
_ABBREVIATIONS = {"USA": r"\bU\.\s?S\.(\s?A\.)?|\bU\.?S\.?A?\b", "GBR": r"\bU\.?K\.?\b", "KOR": r"\bROK\b", "PRK": r"\bDPRK\b", "SUN": r"\bUSSR\b"}


def gaps(quote: str | None, date: PartialDate | int | None, countries: list[str]) -> str | None:
    """What the quote fails to state, as space-separated words: `no-quote`, `year`, `day`
    (the year is there but not the full date of a row dated to the day), `country`; None
    when it states everything."""
    if not quote:
        return "no-quote"
    missing = []
    if date is not None:
        missing += _date_gap(quote, date)
    if any(not names_country(quote, country) for country in countries):
        missing.append("country")
    return " ".join(missing) or None


def _date_gap(quote: str, date: PartialDate | int) -> list[str]:
    year, month, day = (date, None, None) if isinstance(date, int) else _parts(date)
    found = dates_in(quote)
    if not any(y == year for y, _, _ in found):
        return ["year"]
    if day is not None and (year, month, day) not in found:
        return ["day"]
    if month is not None and not any((y, m) == (year, month) for y, m, _ in found):
        return ["day"]
    return []


def _parts(date: PartialDate) -> tuple[int, int | None, int | None]:
    value = date.value
    return value.year, value.month if date.precision != "year" else None, value.day if date.precision == "day" else None


@functools.lru_cache(maxsize=4096)
def dates_in(text: str) -> frozenset[tuple[int, int | None, int | None]]:
    """Every (year, month, day) the text writes, with None for parts it leaves out; a numeric
    date such as 09/02/47 counts in both day-month and month-day readings."""
    found: set[tuple[int, int | None, int | None]] = set()
    for day, month, year in _DAY_MONTH_YEAR.findall(text):
        found.add((int(year), _MONTH_NAMES[month.lower()], int(day)))
    for month, day, year in _MONTH_DAY_YEAR.findall(text):
        found.add((int(year), _MONTH_NAMES[month.lower()], int(day)))
    for year, month, day in _YEAR_MONTH_DAY.findall(text):
        found.add((int(year), _MONTH_NAMES[month.lower()], int(day)))
    for month, year in _MONTH_YEAR.findall(text):
        found.add((int(year), _MONTH_NAMES[month.lower()], None))
    for year, month, day in _ISO.findall(text):
        found.add((int(year), int(month), int(day)))
    for first, second, year in _NUMERIC.findall(text):
        for full_year in ([int(year)] if len(year) == 4 else [1900 + int(year), 2000 + int(year)]):
            for month, day in ((int(second), int(first)), (int(first), int(second))):
                if _real(full_year, month, day):
                    found.add((full_year, month, day))
    found.update((int(year), None, None) for year in _BARE_YEAR.findall(text))
    found.update((y, m, None) for y, m, d in list(found) if m is not None)
    found.update((y, None, None) for y, _, _ in list(found))
    return frozenset(found)


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def names_country(text: str, iso3: str) -> bool:
    """Whether the text names the country: by a name the ISO and Correlates of War lists
    give, a searchable countrycode pattern, a curated name, or its upper-case code."""
    return bool(_country_pattern(iso3).search(text))


@functools.cache
def _country_pattern(iso3: str) -> re.Pattern:
    names = set()
    record = pycountry.countries.get(alpha_3=iso3) or pycountry.historic_countries.get(alpha_3=iso3)
    if record:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(record, attribute, None):
                names.add(value)
                if ", " in value:  # "Korea, Republic of" is written "Republic of Korea"
                    head, tail = value.split(", ", 1)
                    names.add(f"{tail} {head}")
    alternatives = [rf"\b{re.escape(name)}\b" for name in sorted(names)]
    if iso3 in codelist["iso3c"]:
        index = codelist["iso3c"].index(iso3)
        regex = codelist["country.name.en.regex"][index]
        if regex and "^" not in regex and "(?!.*" not in regex:
            alternatives.append(regex)
        for column in ("country.name.en", "cow.name", "un.name.en"):
            if name := codelist[column][index]:
                alternatives.append(rf"\b{re.escape(name)}\b")
    if iso3 in _EXTRA_NAMES:
        alternatives.append(_EXTRA_NAMES[iso3])
    abbreviations = [rf"\b{iso3}\b", *([_ABBREVIATIONS[iso3]] if iso3 in _ABBREVIATIONS else [])]
    return re.compile("|".join([*(f"(?i:{a})" for a in alternatives), *abbreviations]))
