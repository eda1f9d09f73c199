"""How complete the dataset is: what it holds per decade and region, and what was decided
about a peer dataset's alliances that no treaty here carries."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import TableModel, source_note_field
from schemas.codes import CROSSWALKS, PEER_DECISIONS, REGIONS, SLUG_PATTERN

ALL_REGIONS = "all"

_BEGUN = "A treaty begins on its signature (else its entry into force, else its first member's joining)"


class Coverage(TableModel):
    """One row per decade and region in which some treaty began or some member joined, plus a row per decade for all regions together. A treaty counts in every region one of its members is in, so regions do not add up to the `all` row. Derived from treaties, memberships and countries."""

    decade: Series[pd.Int64Dtype] = pa.Field(ge=1700, le=2100, description="First year of the decade (1940 covers 1940-1949).")
    region: Series[str] = pa.Field(isin=[*REGIONS, ALL_REGIONS], description="World Bank region of the members (countries.region), or `all`.")
    treaties: Series[pd.Int64Dtype] = pa.Field(ge=0, description=f"Treaties begun in the decade with a member in the region. {_BEGUN}.")
    treaties_unconfirmed: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Of those, treaties whose own dates no stored source confirms (treaties.unconfirmed).")
    treaties_with_atop_id: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Of those, treaties that carry an ATOP id (treaties.atop_id).")
    spells: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Membership spells that began (memberships.joined) in the decade, of countries in the region.")
    spells_unconfirmed: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Of those, spells no stored source confirms (memberships.unconfirmed).")
    countries: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Distinct countries among those spells.")

    class Config:
        unique = ["decade", "region"]


class PeerDecisions(TableModel):
    """One row per alliance a peer dataset codes that no treaty here carries, with what was decided about it and why, so that nothing is dropped silently. The peer's ids are labels for the crosswalk only; no fact here comes from the peer."""

    crosswalk: Series[str] = pa.Field(isin=list(CROSSWALKS), description="The treaties column the peer's ids go in: atop_id (ATOP) or cow_id (Correlates of War).")
    peer: Series[str] = pa.Field(description="The peer dataset and version the id belongs to, e.g. ATOP 5.1.")
    peer_id: Series[pd.Int64Dtype] = pa.Field(ge=1000, le=9999, description="The peer's alliance id.")
    decision: Series[str] = pa.Field(
        isin=list(PEER_DECISIONS),
        description="not_an_alliance: judged not a written alliance with the obligations the peer codes; part_of_treaty: recorded here as part of the treaty in treaty_id; "
        "no_source_found: in scope, but no stored source states its signature; not_yet_sourced: in scope and not yet curated.",
    )
    treaty_id: Series[str] = pa.Field(nullable=True, str_matches=SLUG_PATTERN, description="For part_of_treaty: the treaty that records it (treaties.treaty_id); null otherwise.")
    reason: Series[str] = pa.Field(description="Why, in the curator's words.")
    source_note: Series[str] = source_note_field()

    class Config:
        unique = ["crosswalk", "peer_id"]
