"""Treaties and their members."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import (
    TableModel,
    country_field,
    obligation_field,
    dates_in_order,
    precision_field,
    quote_gaps_field,
    source_note_field,
    source_urls_field,
    unconfirmed_field,
)
from schemas.codes import CROSSWALKS, MEMBER_ROLES, SLUG_PATTERN, TREATY_KINDS


class Treaties(TableModel):
    """One row per treaty or alliance."""

    treaty_id: Series[str] = pa.Field(unique=True, str_matches=SLUG_PATTERN, description="Stable identifier of the treaty (a slug); never changes once published.")
    name: Series[str] = pa.Field(description="Official title of the treaty.")
    short_name: Series[str] = pa.Field(description="Common short name or acronym.")
    kind: Series[str] = pa.Field(isin=list(TREATY_KINDS), description="collective_defense (a defence pact of three or more parties), bilateral_defense, defense_cooperation (e.g. a joint command, basing or a compact of free association), wartime_coalition, consultation, nonaggression, neutrality or friendship (the treaty's strongest obligation when it has no defence clause).")
    defense: Series[bool] = obligation_field("defense", "some member holds")
    offense: Series[bool] = obligation_field("offense", "some member holds")
    neutrality: Series[bool] = obligation_field("neutrality", "some member holds")
    nonaggression: Series[bool] = obligation_field("nonaggression", "some member holds")
    consultation: Series[bool] = obligation_field("consultation", "some member holds")
    signed: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the treaty was signed.")
    signed_precision: Series[str] = precision_field("signed")
    in_force: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the treaty entered into force.")
    in_force_precision: Series[str] = precision_field("in_force")
    ended: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the treaty was terminated or its organisation dissolved; null while in force.")
    ended_precision: Series[str] = precision_field("ended")
    known_in_force_until: Series[pd.Timestamp] = pa.Field(nullable=True, description="For a treaty whose end no source states (ended is null): the last date a source shows it in force. The panels count it to that year only; null when ended is known or the treaty is in force.")
    known_in_force_until_precision: Series[str] = precision_field("known_in_force_until")
    succeeded_by: Series[str] = pa.Field(nullable=True, str_matches=SLUG_PATTERN, description="The treaty that replaced this one when it ended (treaties.treaty_id), e.g. the 1951 US-Japan Security Treaty by the 1960 treaty; null when none did.")
    atop_id: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1000, le=9999, description="ATOP alliance number (atopid in ATOP 5.1) of the same agreement, for joining to ATOP; null where ATOP does not code it.")
    cow_id: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1000, le=9999, description="Correlates of War alliance number (version 4.1) of the same agreement; null where COW does not code it or the number is not sourced.")
    note: Series[str] = pa.Field(nullable=True, description="Caveats a user must know about the treaty: disputed dates, what the end date marks, scope limits.")
    unconfirmed: Series[bool] = unconfirmed_field()
    quote_gaps: Series[str] = quote_gaps_field("the treaty's entry into force (or signature)", None)
    source_urls: Series[str] = source_urls_field()
    source_note: Series[str] = source_note_field()

    @pa.dataframe_check(error="atop_id and cow_id are each used by one treaty at most")
    def peer_ids_unique(cls, df: pd.DataFrame) -> pd.Series:
        return ~pd.concat([df[c].notna() & df[c].duplicated(keep=False) for c in CROSSWALKS], axis=1).any(axis=1)

    @pa.dataframe_check(error="signed is after in_force")
    def signed_before_in_force(cls, df: pd.DataFrame) -> pd.Series:
        return dates_in_order(df, "signed", "in_force")

    @pa.dataframe_check(error="in_force is after ended")
    def in_force_before_ended(cls, df: pd.DataFrame) -> pd.Series:
        return dates_in_order(df, "in_force", "ended")


class Memberships(TableModel):
    """One row per membership spell: a country's party to a treaty from `joined` to `left`."""

    treaty_id: Series[str] = pa.Field(str_matches=SLUG_PATTERN, description="The treaty (treaties.treaty_id).")
    country_iso3: Series[str] = country_field("The member")
    country_name: Series[str] = pa.Field(description="Name of the member (ISO 3166 short name).")
    cow_ccode: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=2, le=999, description="Correlates of War state code of the member in the year its spell began (e.g. 260 for the Federal Republic of Germany in 1955); null where COW has none.")
    spell: Series[pd.Int64Dtype] = pa.Field(ge=1, description="1 for the country's first spell in the treaty, 2 for a second after it left and rejoined, and so on.")
    role: Series[str] = pa.Field(isin=list(MEMBER_ROLES), description="original (signed the treaty when it was concluded, whenever it ratified), acceded (became a party later without having signed it) or succeeded (became a party as the successor of a state that was one).")
    defense: Series[bool] = obligation_field("defense", "this member holds")
    offense: Series[bool] = obligation_field("offense", "this member holds")
    neutrality: Series[bool] = obligation_field("neutrality", "this member holds")
    nonaggression: Series[bool] = obligation_field("nonaggression", "this member holds")
    consultation: Series[bool] = obligation_field("consultation", "this member holds")
    obligations_toward: Series[str] = pa.Field(nullable=True, description="The members toward which this member holds its obligations (ISO codes separated by a space); null when toward every other member. E.g. guarantors who promise to defend a third state, not each other.")
    joined: Series[pd.Timestamp] = pa.Field(description="Date the country became bound: the treaty's entry into force for a party that had ratified by then, else the deposit of its instrument of ratification or accession (or the day the treaty says it took effect for it). Never before entry into force.")
    joined_precision: Series[str] = precision_field("joined")
    left: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the country ceased to be a party (its withdrawal took effect, or the treaty ended); null while a member.")
    left_precision: Series[str] = precision_field("left")
    note: Series[str] = pa.Field(nullable=True, description="Curator's remark on the spell, e.g. a partial withdrawal that did not end membership.")
    unconfirmed: Series[bool] = unconfirmed_field()
    quote_gaps: Series[str] = quote_gaps_field('`joined`', 'the member')
    source_urls: Series[str] = source_urls_field()
    source_note: Series[str] = source_note_field()

    @pa.dataframe_check(error="left is before joined")
    def joined_before_left(cls, df: pd.DataFrame) -> pd.Series:
        return dates_in_order(df, "joined", "left")

    @pa.dataframe_check(error="spell overlaps an earlier spell of the same country in the same treaty")
    def spells_do_not_overlap(cls, df: pd.DataFrame) -> pd.Series:
        ordered = df.sort_values(["treaty_id", "country_iso3", "joined"])
        previous_left = ordered.groupby(["treaty_id", "country_iso3"])["left"].shift()
        previous_open = ordered.groupby(["treaty_id", "country_iso3"])["joined"].shift().notna() & previous_left.isna()
        overlaps = previous_open | (previous_left > ordered["joined"])
        return ~overlaps.reindex(df.index)

    class Config:
        unique = ["treaty_id", "country_iso3", "spell"]


class Suspensions(TableModel):
    """One row per suspension of treaty obligations by one party toward another that stays a party (e.g. the United States toward New Zealand under ANZUS since 1986)."""

    treaty_id: Series[str] = pa.Field(str_matches=SLUG_PATTERN, description="The treaty (treaties.treaty_id).")
    suspended_by: Series[str] = country_field("The party that suspended its obligations")
    suspended_toward: Series[str] = country_field("The party toward which the obligations are suspended")
    started: Series[pd.Timestamp] = pa.Field(description="Date the suspension began.")
    started_precision: Series[str] = precision_field("started")
    ended: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date the suspension ended; null while it lasts.")
    ended_precision: Series[str] = precision_field("ended")
    note: Series[str] = pa.Field(nullable=True, description="Curator's remark on the suspension.")
    unconfirmed: Series[bool] = unconfirmed_field()
    quote_gaps: Series[str] = quote_gaps_field('`started`', 'both parties')
    source_urls: Series[str] = source_urls_field()
    source_note: Series[str] = source_note_field()

    @pa.dataframe_check(error="ended is before started")
    def started_before_ended(cls, df: pd.DataFrame) -> pd.Series:
        return dates_in_order(df, "started", "ended")

    class Config:
        unique = ["treaty_id", "suspended_by", "suspended_toward", "started"]
