"""Partnership programs, who takes part in them, and what they do."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import (
    TableModel,
    country_field,
    dates_in_order,
    precision_field,
    quote_gaps_field,
    source_note_field,
    source_urls_field,
    unconfirmed_field,
)
from schemas.codes import PROGRAM_KINDS, SLUG_PATTERN, US_STATES


class Programs(TableModel):
    """One row per defence partnership program."""

    program_id: Series[str] = pa.Field(unique=True, str_matches=SLUG_PATTERN, description="Stable identifier of the program (a slug); never changes once published.")
    name: Series[str] = pa.Field(description="Name of the program.")
    short_name: Series[str] = pa.Field(description="Common short name or acronym.")
    sponsor: Series[str] = pa.Field(description="Organisation that runs the program.")
    kind: Series[str] = pa.Field(isin=list(PROGRAM_KINDS), description="military_partnership, humanitarian_assistance, security_designation or partnership_framework.")
    started: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the program began.")
    started_precision: Series[str] = precision_field("started")
    ended: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the program ended; null while it runs.")
    ended_precision: Series[str] = precision_field("ended")
    description: Series[str] = pa.Field(description="What the program does, in a sentence or two.")
    unconfirmed: Series[bool] = unconfirmed_field()
    quote_gaps: Series[str] = quote_gaps_field('`started`', None)
    source_urls: Series[str] = source_urls_field()
    source_note: Series[str] = source_note_field()

    @pa.dataframe_check(error="started is after ended")
    def started_before_ended(cls, df: pd.DataFrame) -> pd.Series:
        return dates_in_order(df, "started", "ended")


class ProgramParticipants(TableModel):
    """One row per partnership in a program: a partner country, and for the State Partnership Program the US state paired with it."""

    participant_id: Series[str] = pa.Field(unique=True, description="Stable identifier of the partnership: program id, partner country and, for the State Partnership Program, the US state, joined by ':' (e.g. 'state-partnership-program:ALB:NJ'); a partner's second and later spells end in ':2', ':3'.")
    program_id: Series[str] = pa.Field(str_matches=SLUG_PATTERN, description="The program (programs.program_id).")
    country_iso3: Series[str] = country_field("The partner country")
    country_name: Series[str] = pa.Field(description="Name of the partner country (ISO 3166 short name).")
    cow_ccode: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=2, le=999, description="Correlates of War state code of the partner in start_year; null where COW has none.")
    us_state: Series[str] = pa.Field(isin=sorted(US_STATES), nullable=True, description="USPS code of the US state or territory whose National Guard is the partner; null outside the State Partnership Program.")
    start_year: Series[pd.Int64Dtype] = pa.Field(ge=1900, le=2100, description="Year the partnership was formally established (signed, approved or, for a designation, made); see announced_year for an earlier announcement.")
    announced_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Year the partnership was announced or selected, where a source gives it and it differs from start_year; null otherwise.")
    end_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Year the partnership ended; null while it continues.")
    note: Series[str] = pa.Field(nullable=True, description="Curator's remark, e.g. a partnership shared by two nations.")
    unconfirmed: Series[bool] = unconfirmed_field()
    quote_gaps: Series[str] = quote_gaps_field('`start_year`', 'the partner')
    source_urls: Series[str] = source_urls_field()
    source_note: Series[str] = source_note_field()

    @pa.dataframe_check(error="end_year is before start_year")
    def start_before_end(cls, df: pd.DataFrame) -> pd.Series:
        return dates_in_order(df, "start_year", "end_year")


class ProgramActivities(TableModel):
    """One row per activity and host country, e.g. one Pacific Partnership mission year in one country."""

    program_id: Series[str] = pa.Field(str_matches=SLUG_PATTERN, description="The program (programs.program_id).")
    year: Series[pd.Int64Dtype] = pa.Field(ge=1900, le=2100, description="Year of the activity.")
    activity_name: Series[str] = pa.Field(description="Name of the activity, e.g. 'Pacific Partnership 2008'.")
    lead_platform: Series[str] = pa.Field(nullable=True, description="Lead ship(s) or unit(s) of the activity, separated by '; '.")
    host_country_iso3: Series[str] = country_field("The host country")
    host_country_name: Series[str] = pa.Field(description="Name of the host country (ISO 3166 short name).")
    unconfirmed: Series[bool] = unconfirmed_field()
    quote_gaps: Series[str] = quote_gaps_field('`year`', 'the host')
    source_urls: Series[str] = source_urls_field()
    source_note: Series[str] = source_note_field()

    class Config:
        unique = ["program_id", "year", "activity_name", "host_country_iso3"]
