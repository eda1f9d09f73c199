"""Checks that a note agrees with itself beyond its dates' order: no empty spells, program
rows inside the program's years, one spell at a time per partnership, suspensions between
two different parties while both are members. Each problem points at the field to fix."""

from typing import Iterator

from pipeline.note_models import PartialDate, ProgramNote, TreatyNote
from pipeline.problems import Note, Problem


def problems(note: Note) -> Iterator[Problem]:
    if isinstance(note.model, TreatyNote):
        yield from _empty_spells(note)
        yield from _suspensions(note)
    if isinstance(note.model, ProgramNote):
        yield from _program_years(note)
        yield from _participant_overlaps(note)


def _problem(note: Note, where: tuple, message: str) -> Problem:
    return Problem(note.path, note.line(*where), ".".join(str(part) for part in where), message)


def _empty_spells(note: Note) -> Iterator[Problem]:
    for i, member in enumerate(note.model.members):
        if member.left is not None and member.left.value == member.joined.value and member.left.precision == member.joined.precision:
            yield _problem(note, ("members", i, "left"), f"{member.country}: left equals joined ({member.joined}): a spell must last; drop the row or correct a date")
    for i, suspension in enumerate(note.model.suspensions):
        if suspension.until is not None and suspension.until.value == suspension.since.value and suspension.until.precision == suspension.since.precision:
            yield _problem(note, ("suspensions", i, "until"), f"until equals since ({suspension.since}): a suspension must last")


def _suspensions(note: Note) -> Iterator[Problem]:
    """A party suspends toward another party, while both are members."""
    spells: dict[str, list] = {}
    for member in note.model.members:
        spells.setdefault(member.country, []).append(member)
    for i, suspension in enumerate(note.model.suspensions):
        if suspension.by == suspension.toward:
            yield _problem(note, ("suspensions", i, "toward"), f"{suspension.by} cannot suspend its obligations toward itself")
            continue
        for side in ("by", "toward"):
            country = getattr(suspension, side)
            if country in spells and not any(_within(suspension.since, m.joined, m.left) for m in spells[country]):
                yield _problem(note, ("suspensions", i, "since"), f"{country} is not a member on {suspension.since}, when the suspension begins")


def _within(day: PartialDate, joined: PartialDate, left: PartialDate | None) -> bool:
    return joined.value <= day.value and (left is None or day.value < left.value)


def _program_years(note: Note) -> Iterator[Problem]:
    program = note.model
    first = program.started.value.year if program.started else None
    last = program.ended.value.year if program.ended else None
    years = f"{first or '?'}-{last or 'today'}"
    for i, p in enumerate(program.participants):
        if first is not None and p.start_year < first:
            yield _problem(note, ("participants", i, "start_year"), f"{p.country}: start_year {p.start_year} is before the program began ({program.started})")
        if last is not None and (p.end_year or p.start_year) > last:
            yield _problem(note, ("participants", i, "end_year" if p.end_year else "start_year"), f"{p.country}: runs past the program's end ({program.ended}); the program's years are {years}")
        elif last is not None and p.end_year is None:
            yield _problem(note, ("participants", i, "end_year"), f"{p.country}: end_year is empty but the program ended ({program.ended}); write end_year: {last} or earlier")
    for i, activity in enumerate(program.activities):
        if (first is not None and activity.year < first) or (last is not None and activity.year > last):
            yield _problem(note, ("activities", i, "year"), f"{activity.year} is outside the program's years ({years})")


def _participant_overlaps(note: Note) -> Iterator[Problem]:
    """One spell at a time for the same partner (and US state) in one program."""
    seen: dict[tuple, list[tuple[int, object]]] = {}
    for i, p in enumerate(note.model.participants):
        seen.setdefault((p.country, p.us_state), []).append((i, p))
    for (country, state), rows in seen.items():
        rows.sort(key=lambda row: row[1].start_year)
        for (_, before), (i, after) in zip(rows, rows[1:]):
            if before.end_year is None or before.end_year >= after.start_year:
                who = f"{country}" + (f" with {state}" if state else "")
                yield _problem(note, ("participants", i, "start_year"), f"{who}: the spell from {after.start_year} overlaps the one from {before.start_year}; end the earlier one first")
