"""The shape of each kind of curated note, as pydantic models.

Only field types and single-field rules live here; rules that relate several fields or
several notes (date order, sources that resolve, overlapping spells) are in notes.py.
"""

import datetime as dt
import re
import unicodedata
from urllib.parse import urlsplit
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, StrictInt

from pipeline.countries import resolve_country
from schemas.codes import MEMBER_ROLES, OBLIGATION_TYPES, CROSSWALKS, PEER_DECISIONS, PROGRAM_KINDS, SLUG_PATTERN, TREATY_KINDS, US_STATES

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year; `value` is the first day of that period."""

    value: dt.date
    precision: Literal["day", "month", "year"]

    def __str__(self) -> str:
        """As the note wrote it: 1991-12-26, 1991-12 or 1991."""
        return {"day": self.value.isoformat(), "month": self.value.strftime("%Y-%m"), "year": str(self.value.year)}[self.precision]


def _not_in_future(day: dt.date) -> dt.date:
    if day > dt.date.today():
        raise ValueError(f"{day.isoformat()} is in the future")
    return day


def _partial_date(raw: object) -> PartialDate:
    text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    match = _PARTIAL_DATE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {raw!r}")
    year, month, day = match.groups()
    try:
        value = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"{text} is not a real date ({error})") from None
    precision = "day" if day else "month" if month else "year"
    if day and not month:
        raise ValueError(f"expected YYYY-MM-DD, got {text!r}")
    return PartialDate(_not_in_future(value), precision)


def _full_date(raw: object) -> dt.date:
    parsed = _partial_date(raw)
    if parsed.precision != "day":
        raise ValueError(f"expected a full date YYYY-MM-DD, got {raw!r}")
    return parsed.value


MAX_URL_LENGTH = 2000


def _http_url(url: str) -> str:
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"URL is {len(url)} characters long, over the limit of {MAX_URL_LENGTH}")
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+\S*$", url):
        raise ValueError(f"{url!r} is not an http(s) URL")
    if "@" in urlsplit(url).netloc:
        raise ValueError(f"{url!r} carries a user name or password; cite the address without them")
    return url


# Invisible, bidirectional-override and control characters (Unicode Cc, Cf, Co, Cs, Zl, Zp):
# they can hide or reorder what a reader sees. Tab and newline are ordinary text.
def _visible_text(text: str) -> str:
    if not text.strip():
        raise ValueError("is blank")
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text  # str.isprintable (in C) is False for every character refused below, and more
    for position, character in enumerate(text):
        if character not in "\n\t" and unicodedata.category(character) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            name = unicodedata.name(character, "unnamed")
            raise ValueError(f"contains an invisible or control character, U+{ord(character):04X} ({name}), at position {position + 1}")
    return text


def _year(year: int) -> int:
    return _not_in_future(dt.date(year, 1, 1)).year


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
# Length limits, stated in raw/README.md: names and titles are short, quotes and notes long.
Text = Annotated[str, Field(min_length=1, max_length=5000), AfterValidator(_visible_text)]
Name = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_visible_text)]
Date = Annotated[PartialDate, PlainValidator(_partial_date)]
FullDate = Annotated[dt.date, PlainValidator(_full_date)]
Year = Annotated[int, Field(ge=1700), AfterValidator(_year)]
Url = Annotated[str, AfterValidator(_http_url)]
Country = Annotated[str, AfterValidator(resolve_country)]


def _distinct(values: list) -> list:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed twice: {', '.join(repeated)}")
    return values


Obligations = Annotated[list[Literal[OBLIGATION_TYPES]], AfterValidator(_distinct)]
Countries = Annotated[list[Country], AfterValidator(_distinct)]
PeerId = Annotated[int, Field(ge=1000, le=9999)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Source(_Strict):
    id: Slug
    url: Url
    title: Name
    quote: Text | None = None


class _Row(_Strict):
    """Fields every sourced row may carry."""

    source: Slug
    quote: Text | None = None
    note: Text | None = None
    unconfirmed: bool = False


class Member(_Row):
    country: Country
    role: Literal[MEMBER_ROLES]
    joined: Date
    left: Date | None = None
    obligations: Obligations | None = None  # this member's own, when they differ from the treaty's
    obligations_toward: Countries | None = None  # when not toward every other member
    obligations_quote: Text | None = None


class _Note(_Strict):
    """Fields every treaty and program note has."""

    id: Slug
    name: Name
    short_name: Name
    last_reviewed: FullDate
    sources: list[Source] = Field(min_length=1)
    source: Slug
    quote: Text | None = None
    note: Text | None = None
    unconfirmed: bool = False


class Suspension(_Row):
    """One party suspending its obligations toward another without leaving the treaty."""

    by: Country
    toward: Country
    since: Date
    until: Date | None = None


class TreatyNote(_Note):
    kind: Literal[TREATY_KINDS]
    obligations: Obligations  # what every member promises, unless a member lists its own
    obligations_quote: Text | None = None
    atop_id: PeerId | None = None
    cow_id: PeerId | None = None
    signed: Date | None
    in_force: Date | None
    ended: Date | None = None
    # When no source says whether or when the treaty ended: the last date a source shows it in
    # force. The panels count it to that year only, instead of to the release day.
    known_in_force_until: Date | None = None
    succeeded_by: Slug | None = None
    members: list[Member] = Field(min_length=1)
    suspensions: list[Suspension] = []


class Participant(_Row):
    country: Country
    us_state: Literal[tuple(sorted(US_STATES))] | None = None
    start_year: Year
    announced_year: Year | None = None
    end_year: Year | None = None


class Activity(_Row):
    year: Year
    name: Name
    lead_platform: Name | None = None
    hosts: Annotated[list[Country], Field(min_length=1), AfterValidator(_distinct)]


class ProgramNote(_Note):
    sponsor: Name
    kind: Literal[PROGRAM_KINDS]
    started: Date | None
    ended: Date | None = None
    description: Text
    participants: list[Participant] = []
    activities: list[Activity] = []


class Claim(_Row):
    id: Slug
    subject: Slug
    measure: Literal["members", "participants"]
    as_of: FullDate
    count: StrictInt = Field(ge=0)  # "12" or 12.0 is refused, not read as 12
    excluding: list[Country] = []
    explanation: Text | None = None


class ClaimsNote(_Strict):
    last_reviewed: FullDate
    sources: list[Source] = Field(min_length=1)
    claims: list[Claim] = Field(min_length=1)


class CowOverride(_Row):
    """A COW code for a country, in every year or only from `from_year` to `until_year`."""

    country: Country
    cow_ccode: int | None = Field(ge=2, le=999)
    cow_abbrev: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None
    cow_name: Name | None = None
    from_year: Year | None = None
    until_year: Year | None = None


class CowOverridesNote(_Strict):
    last_reviewed: FullDate
    sources: list[Source] = Field(min_length=1)
    overrides: list[CowOverride] = Field(min_length=1)


class StateSpell(_Row):
    """A spell of a state's membership in the international system."""

    country: Country
    cow_ccode: int | None = Field(ge=2, le=999)  # null: the state existed but the state system does not list it then
    since: Date
    until: Date | None = None  # None: still a state


class StateSystemNote(_Strict):
    last_reviewed: FullDate
    note: Text | None = None
    sources: list[Source] = Field(min_length=1)
    states: list[StateSpell] = Field(min_length=1)


class PeerDecision(_Strict):
    """Why no treaty here carries an alliance a peer dataset codes: nothing is dropped silently."""

    peer_id: PeerId
    decision: Literal[PEER_DECISIONS]
    treaty_id: Slug | None = None  # the treaty that records it, for part_of_treaty
    reason: Text


class PeerDecisionsNote(_Strict):
    crosswalk: Literal[CROSSWALKS]  # the treaties column the peer's ids go in
    peer: Name  # the peer dataset and version the ids belong to
    last_reviewed: FullDate
    decisions: list[PeerDecision] = Field(min_length=1)
