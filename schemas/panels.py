"""Analysis panels derived from the other tables: country-year and dyad-year, as in the
ATOP and Correlates of War alliance data."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import TableModel, country_field, obligation_field

_YEAR_RULE = "A treaty counts in a year if the country was a party at any time during that year."
# NOTE: ATOP's dyad-year convention (codebook 5.1, section 2.6): a type is 1 "if either state
# has [that] obligation toward the other"; a treaty suspended between the two adds none.
_EITHER = "in a shared treaty not suspended between them, either country holds toward the other"


class CountryYear(TableModel):
    """One row per state and year of the state system (every year a state was a member of the international system, from the Correlates of War list curated in raw/states/, to the release year), with zero counts where it had no treaty or program, plus one row per other country and year with a treaty or program (in_state_system false). Derived from the state system, memberships, suspensions, program_participants and program_activities."""

    country_iso3: Series[str] = country_field("The country")
    year: Series[pd.Int64Dtype] = pa.Field(ge=1700, le=2100, description="Calendar year.")
    cow_ccode: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=2, le=999, description="Correlates of War state code in that year (e.g. Germany: 260 for the Federal Republic 1955-1990, 255 otherwise), for joining to COW and ATOP data.")
    treaty_count: Series[pd.Int64Dtype] = pa.Field(ge=0, description=f"Number of treaties in force for the country in the year. {_YEAR_RULE}")
    treaty_ids: Series[str] = pa.Field(nullable=True, description="Those treaties' ids, sorted, separated by a space; null when none.")
    allied_with_usa: Series[bool] = pa.Field(description="True when the country and the United States share a treaty in force in the year, not suspended between them, under which either holds a defense obligation toward the other (dyad_year.defense); False for the United States itself.")
    program_count: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Number of partnership programs the country takes part in during the year (as a partner, or as a host of a program activity that year).")
    program_ids: Series[str] = pa.Field(nullable=True, description="Those programs' ids, sorted, separated by a space; null when none.")
    in_state_system: Series[bool] = pa.Field(description="True when the state was a member of the international system on some day of the year (the Correlates of War state system, curated in raw/states/). Every such state and year has a row, with zero counts where it had no treaty or program; rows with False exist because the country held a treaty or program that year outside the state system (e.g. occupied, or before the system admits it).")

    class Config:
        unique = ["country_iso3", "year"]


class DyadYear(TableModel):
    """One row per unordered pair of countries and year in which they share at least one treaty in force (country_a sorts before country_b). Derived from memberships, treaties and suspensions."""

    country_a: Series[str] = country_field("First country of the pair (alphabetically)")
    country_b: Series[str] = country_field("Second country of the pair (alphabetically)")
    year: Series[pd.Int64Dtype] = pa.Field(ge=1700, le=2100, description=f"Calendar year. {_YEAR_RULE}")
    cow_ccode_a: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=2, le=999, description="Correlates of War code of country_a in the year.")
    cow_ccode_b: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=2, le=999, description="Correlates of War code of country_b in the year.")
    shared_treaty_count: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Number of treaties both are parties to in the year.")
    shared_treaty_ids: Series[str] = pa.Field(description="Those treaties' ids, sorted, separated by a space.")
    defense: Series[bool] = obligation_field("defense", _EITHER)
    offense: Series[bool] = obligation_field("offense", _EITHER)
    neutrality: Series[bool] = obligation_field("neutrality", _EITHER)
    nonaggression: Series[bool] = obligation_field("nonaggression", _EITHER)
    consultation: Series[bool] = obligation_field("consultation", _EITHER)
    suspended_treaty_ids: Series[str] = pa.Field(nullable=True, description="Shared treaties whose obligations between the two were suspended for the whole year (e.g. ANZUS between the United States and New Zealand from 1987); null when none.")

    @pa.dataframe_check(error="country_a must sort before country_b")
    def pair_is_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["country_a"] < df["country_b"]

    class Config:
        unique = ["country_a", "country_b", "year"]
