"""Reading a peer dataset's file (ATOP 5.1 member or alliance level, COW 4.1 by member)
into one neutral shape, for `alliances compare`.

Only the columns the comparison needs are read. Nothing read here is ever written into a
release: the user downloads the peer file under the peer's own terms.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.note_models import PartialDate
from schemas.codes import OBLIGATION_TYPES


@dataclass(frozen=True)
class Layout:
    """Where one peer file keeps what the comparison reads."""

    name: str
    id_column: str
    crosswalk: str  # the treaties column holding this peer's id
    member: str | None  # None for alliance-level files
    start: tuple[str, str, str]  # year, month, day
    end: tuple[str, str, str]
    obligations: dict[str, str]  # our type -> the peer's column; types it does not code are absent
    open_when: tuple[str, int]  # column and value meaning "still in effect at the end of coverage"
    coverage_ends: int
    dates_at: str  # how the peer dates a member's entry, from its codebook


_ATOP_OBLIGATIONS = dict(zip(OBLIGATION_TYPES, ("defense", "offense", "neutral", "nonagg", "consul")))
_ATOP_DATES = "signature"

LAYOUTS = (
    Layout("ATOP 5.1, member level", "atopid", "atop_id", "member", ("yrent", "moent", "dayent"), ("yrexit", "moexit", "dayexit"), _ATOP_OBLIGATIONS, ("yrexit", 0), 2018, _ATOP_DATES),
    Layout("ATOP 5.1, alliance level", "atopid", "atop_id", None, ("begyr", "begmo", "begday"), ("endyr", "endmo", "endday"), _ATOP_OBLIGATIONS, ("endyr", 0), 2018, _ATOP_DATES),
    Layout("COW Formal Alliances 4.1, by member", "version4id", "cow_id", "ccode", ("mem_st_year", "mem_st_month", "mem_st_day"), ("mem_end_year", "mem_end_month", "mem_end_day"), {"defense": "defense", "neutrality": "neutrality", "nonaggression": "nonaggression", "consultation": "entente"}, ("right_censor", 1), 2012, "signature"),
)


class PeerFileError(ValueError):
    """The file is not one of the layouts this command knows."""


@dataclass(frozen=True)
class PeerRow:
    """One row of the peer file: an alliance, or one member's spell (or phase) in it."""

    peer_id: int
    line: int
    ccode: int | None
    start: PartialDate | None
    end: PartialDate | None  # None: in effect when the peer's coverage ends
    obligations: dict[str, bool]


def detect_layout(columns: list[str], path: Path) -> Layout:
    """The layout whose columns the file has (member level before alliance level)."""
    for layout in LAYOUTS:
        if set(_needed(layout)) <= set(columns):
            return layout
    known = "; ".join(f"{layout.name}: {', '.join(_needed(layout))}" for layout in LAYOUTS)
    raise PeerFileError(f"{path}: not a known peer layout; the file needs the columns of one of: {known}")


def _needed(layout: Layout) -> list[str]:
    member = [layout.member] if layout.member else []
    return [layout.id_column, *member, *layout.start, *layout.end, *layout.obligations.values(), layout.open_when[0]]


def read_peer_file(path: Path) -> tuple[Layout, list[PeerRow]]:
    """The file's layout and rows.

    Raises:
        PeerFileError: the file cannot be read, or has none of the known layouts.
    """
    try:
        header = pd.read_csv(path, nrows=0).columns.tolist()
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise PeerFileError(f"{path}: cannot read it as CSV ({error})") from None
    layout = detect_layout(header, path)
    frame = pd.read_csv(path, usecols=_needed(layout), low_memory=False)
    return layout, [_row(layout, record, line) for line, record in zip(range(2, len(frame) + 2), frame.to_dict("records"))]


def _row(layout: Layout, record: dict, line: int) -> PeerRow:
    column, open_value = layout.open_when
    still_open = _number(record[column]) == open_value
    return PeerRow(
        peer_id=_number(record[layout.id_column]),
        line=line,
        ccode=_number(record[layout.member]) if layout.member else None,
        start=_date(record, layout.start),
        end=None if still_open else _date(record, layout.end),
        obligations={ours: _number(record[theirs]) == 1 for ours, theirs in layout.obligations.items()},
    )


def _number(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _date(record: dict, columns: tuple[str, str, str]) -> PartialDate | None:
    """Peers write unknown parts as blank, 0 or a negative code (COW's -9)."""
    year, month, day = (_number(record[c]) for c in columns)
    if not year or year < 1:
        return None
    if not month or not 1 <= month <= 12:
        return PartialDate(dt.date(year, 1, 1), "year")
    try:
        return PartialDate(dt.date(year, month, day), "day") if day and day > 0 else PartialDate(dt.date(year, month, 1), "month")
    except ValueError:
        return PartialDate(dt.date(year, month, 1), "month")
