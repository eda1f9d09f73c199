"""Countries that appear in the dataset, with the codes to join them to other data."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import TableModel, country_field
from schemas.codes import CODE_STATUSES, REGIONS


class Countries(TableModel):
    """One row per country that appears in any other table."""

    country_iso3: Series[str] = country_field("The country", unique=True)
    name: Series[str] = pa.Field(description="ISO 3166 short name (ISO 3166-3 name for former states).")
    code_status: Series[str] = pa.Field(isin=list(CODE_STATUSES), description="current (ISO 3166-1), former (withdrawn, ISO 3166-3) or user_assigned (XKX, Kosovo).")
    code_withdrawn: Series[pd.Timestamp] = pa.Field(nullable=True, description="Date ISO withdrew the code (ISO 3166-3); null for current codes. Where ISO gives only the year (VDR: 1977), its first day.")
    cow_ccode: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=2, le=999, description="Correlates of War state code; null where COW lists no state (e.g. Palestine).")
    cow_abbrev: Series[str] = pa.Field(nullable=True, str_length={"min_value": 3, "max_value": 3}, description="Correlates of War three-letter state abbreviation.")
    region: Series[str] = pa.Field(nullable=True, isin=list(REGIONS), description="World Bank region, as the countrycode library gives it; former states (SUN, YUG, CSK, DDR, YMD, VDR, SCG) and XKX, XRV, XZN by the region of their territory. Null where the library gives none (e.g. Western Sahara).")
    cow_source: Series[str] = pa.Field(nullable=True, isin=["countrycode", "raw/countries/cow_overrides.yaml"], description="Where the COW codes come from: the countrycode library, or the curated override table where the library is wrong or silent.")
