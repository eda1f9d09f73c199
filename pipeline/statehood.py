"""The state system: when each state existed, read from raw/states/.

A membership's country must exist on the dates of its spell, and `country_year` has a row
for every state in every year it was a member of the system. A state exists from its first
spell to its last: the state system leaves out years of occupation (the Netherlands
1940-1945), which do not end a state's treaties. Without a state-system note both checks are
skipped.
"""

import calendar
import datetime as dt
from typing import Iterator

import pandas as pd

from pipeline.note_models import PartialDate
from pipeline.problems import Note, Problem


def lifetimes(states: list[Note]) -> dict[str, tuple[dt.date, dt.date | None, str]]:
    """Per country: its first day as a state, its last (None: still one), and where that is written."""
    found: dict[str, tuple[dt.date, dt.date | None, str]] = {}
    for note in states:
        for i, spell in enumerate(note.model.states):
            until = _last_day(spell.until) if spell.until else None
            where = f"{note.path}:{note.line('states', i)}"
            if spell.country not in found:
                found[spell.country] = (spell.since.value, until, where)
                continue
            since, last, first_where = found[spell.country]
            later = None if last is None or until is None else max(last, until)
            found[spell.country] = (min(since, spell.since.value), later, first_where)
    return found


def existence_problems(treaties: list[Note], states: list[Note]) -> Iterator[Problem]:
    """Members whose spell starts before their country existed or goes on after it ended."""
    if not states:
        return
    lives = lifetimes(states)
    for note in treaties:
        for i, member in enumerate(note.model.members):
            def problem(field: str, message: str) -> Problem:
                return Problem(note.path, note.line("members", i, field), f"members.{i}.{field}", f"{member.country}: {message}")

            if member.country not in lives:
                yield problem("country", "is not a state of the state system (raw/states/); add it there with its source, or correct the code")
                continue
            since, until, where = lives[member.country]
            if _last_day(member.joined) < since:
                yield problem("joined", f"joined {member.joined}, but the state exists only from {since} ({where})")
            if until is None:
                continue
            left = member.left.value if member.left else None
            if member.joined.value > until + dt.timedelta(days=1):
                yield problem("joined", f"joined {member.joined}, after the state ceased to exist on {until} ({where})")
            elif left is None or left > until + dt.timedelta(days=1):
                yield problem("left", f"the state ceased to exist on {until} ({where}); write left: {until + dt.timedelta(days=1)} or earlier (a successor continues in a spell of its own)")


def _last_day(date: PartialDate) -> dt.date:
    """The last day of the period a partial date names (1991-12 -> 1991-12-31)."""
    value = date.value
    if date.precision == "year":
        return dt.date(value.year, 12, 31)
    if date.precision == "month":
        return dt.date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value


def system_years(states: list[Note], last_year: int) -> pd.DataFrame | None:
    """(country_iso3, year) for every year a state was a member of the system on any day;
    None without a state-system note."""
    if not states:
        return None
    rows = [
        (spell.country, year)
        for note in states for spell in note.model.states if spell.cow_ccode is not None  # null: existence only
        for year in range(spell.since.value.year, min(spell.until.value.year if spell.until else last_year, last_year) + 1)
    ]
    return pd.DataFrame(rows, columns=["country_iso3", "year"]).drop_duplicates()
