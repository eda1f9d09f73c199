"""Column definitions shared by several tables, so each is described once."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.codes import OBLIGATION_TYPES, PRECISIONS, VALID_ISO3


class TableModel(pa.DataFrameModel):
    """Base of every published table: no columns beyond the declared ones, values coerced to their types."""

    class Config:
        strict = True
        coerce = True


def country_field(what: str, **checks) -> pa.Field:
    """An ISO 3166 alpha-3 column, former states and Kosovo (XKX) included."""
    return pa.Field(
        isin=sorted(VALID_ISO3),
        description=f"{what}: ISO 3166-1 alpha-3 code; former states use their ISO 3166-3 code (SUN, YUG, CSK, DDR), Kosovo uses XKX.",
        **checks,
    )


def precision_field(column: str) -> pa.Field:
    return pa.Field(
        isin=list(PRECISIONS),
        nullable=True,
        description=f"How precise `{column}` is: day, month or year (a month or year is stored as its first day). Null when `{column}` is null.",
    )


def dates_in_order(df: pd.DataFrame, earlier: str, later: str) -> pd.Series:
    """True where `earlier` <= `later` or either is missing."""
    return df[earlier].isna() | df[later].isna() | (df[earlier] <= df[later])


def unconfirmed_field() -> pa.Field:
    return pa.Field(description="True when no stored source confirms the row; filter these out for strict analyses.")


def quote_gaps_field(date: str, country: str | None) -> pa.Field:
    names = f" and names {country}" if country else ""
    no_country = f"; `country`: it does not name {country}" if country else ""
    return pa.Field(
        nullable=True,
        str_matches=r"^(no-quote|(year|day)( country)?|country)$",
        description=f"What the row's quote fails to state, checked by text in every build: null when it gives {date}{names}. "
        f"Otherwise `no-quote`: neither the row nor its source has a quote; `year`: the quote does not give the year of {date}; "
        f"`day`: it gives the year but not the day (or month) the row is dated to{no_country}.",
    )


def source_urls_field() -> pa.Field:
    return pa.Field(description="URL(s) of the source(s) the row rests on, separated by a space.")


def source_note_field() -> pa.Field:
    return pa.Field(str_startswith="raw/", description="Path of the curated note in the repository that defines the row.")


OBLIGATION_MEANINGS = {
    "defense": "to come to the military aid of a partner that is attacked",
    "offense": "to join partners in military action that is not a response to an attack on them",
    "neutrality": "to stay out of, and not aid the adversary in, a conflict a partner is in",
    "nonaggression": "not to use force against the partners",
    "consultation": "to consult the partners in a crisis or when one is threatened",
}
assert tuple(OBLIGATION_MEANINGS) == OBLIGATION_TYPES


def obligation_field(kind: str, whose: str) -> pa.Field:
    """One of the five ATOP obligation types as a boolean column; `whose` says who holds it."""
    return pa.Field(description=f"True when {whose} the obligation {OBLIGATION_MEANINGS[kind]} ({kind}, as the ATOP codebook defines it).")
