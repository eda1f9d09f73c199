"""As-of questions answered from a published release."""

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.loader import load


def members_on(treaty_id: str, date: str | dt.date, version: str = "latest", source: str | Path | None = None) -> pd.DataFrame:
    """The members of `treaty_id` on `date`: joined on or before it, not yet left.

    Raises:
        KeyError: the release has no treaty `treaty_id`.
    """
    day = pd.Timestamp(date)
    memberships = load("memberships", version, source)
    if treaty_id not in set(load("treaties", version, source).treaty_id):
        raise KeyError(f"no treaty {treaty_id!r} in this release")
    active = (memberships.treaty_id == treaty_id) & (memberships.joined <= day) & (memberships.left.isna() | (memberships.left > day))
    return memberships[active].sort_values("country_iso3").reset_index(drop=True)


def partners_on(program_id: str, year: int, version: str = "latest", source: str | Path | None = None) -> pd.DataFrame:
    """The partnerships of `program_id` active in `year` (started by then, not ended before it).

    Raises:
        KeyError: the release has no program `program_id`.
    """
    participants = load("program_participants", version, source)
    if program_id not in set(load("programs", version, source).program_id):
        raise KeyError(f"no program {program_id!r} in this release")
    active = (participants.program_id == program_id) & (participants.start_year <= year) & (participants.end_year.isna() | (participants.end_year >= year))
    return participants[active].sort_values(["country_iso3", "us_state"]).reset_index(drop=True)
