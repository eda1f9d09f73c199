"""Country names and codes: resolving what curators write, and the codes users join on.

ISO codes and names come from pycountry (ISO 3166-1 and, for former states, ISO 3166-3);
Correlates of War codes from the countrycode library, except where the curated override
table in raw/countries/ says the library is wrong or silent.
"""

import re
from functools import cache

import pycountry

from schemas.codes import CURRENT_ISO3, FORMER_ISO3, REGIONS_OF_OTHER_CODES, USER_ASSIGNED_ISO3


def _names(country) -> list[str]:
    return [getattr(country, attr) for attr in ("name", "official_name", "common_name") if hasattr(country, attr)]


@cache
def _name_index() -> dict[str, set[str]]:
    """Lower-cased names (current, official, common and ISO 3166-3) to alpha-3 codes."""
    index: dict[str, set[str]] = {}
    entries = [(c.alpha_3, _names(c)) for c in pycountry.countries]
    entries += [(c.alpha_3, _names(c)) for c in pycountry.historic_countries if c.alpha_3 in FORMER_ISO3]
    entries += [(code, [name]) for code, name in USER_ASSIGNED_ISO3.items()]
    for code, names in entries:
        for name in names:
            index.setdefault(name.casefold(), set()).add(code)
    return index


def resolve_country(text: str) -> str:
    """The alpha-3 code for a code or a name that names exactly one country.

    Raises:
        ValueError: the text names no country, or several; the message lists candidates.
    """
    if text in CURRENT_ISO3 or text in FORMER_ISO3 or text in USER_ASSIGNED_ISO3:
        return text
    exact = _name_index().get(text.casefold(), set())
    if len(exact) == 1:
        return next(iter(exact))
    word = re.compile(rf"\b{re.escape(text.casefold())}\b")
    partial = sorted({code for name, codes in _name_index().items() if word.search(name) for code in codes} | exact)
    listed = ", ".join(f"{code} ({country_name(code)})" for code in partial[:6])
    if len(partial) > 1:
        raise ValueError(f"'{text}' matches several countries: {listed}; write the alpha-3 code")
    if partial:
        raise ValueError(f"unknown country '{text}'; did you mean {listed}? Write the alpha-3 code")
    raise ValueError(f"unknown country '{text}': not an ISO 3166 alpha-3 code or country name")


def country_name(iso3: str) -> str:
    """ISO short name of a current, former or user-assigned code."""
    if iso3 in USER_ASSIGNED_ISO3:
        return USER_ASSIGNED_ISO3[iso3]
    country = pycountry.countries.get(alpha_3=iso3) or pycountry.historic_countries.get(alpha_3=iso3)
    return country.name


def code_status(iso3: str) -> tuple[str, str | None]:
    """('current' | 'former' | 'user_assigned', ISO withdrawal date or None)."""
    if iso3 in USER_ASSIGNED_ISO3:
        return "user_assigned", None
    if iso3 in CURRENT_ISO3:
        return "current", None
    return "former", pycountry.historic_countries.get(alpha_3=iso3).withdrawal_date


def library_cow_codes(iso3_codes: list[str]) -> dict[str, tuple[int | None, str | None]]:
    """COW numeric code and abbreviation per ISO alpha-3 code, as countrycode gives them."""
    from countrycode import countrycode

    if not iso3_codes:
        return {}
    numeric = countrycode(iso3_codes, origin="iso3c", destination="cown")
    letters = countrycode(iso3_codes, origin="iso3c", destination="cowc")
    return {code: (n, a) for code, n, a in zip(iso3_codes, numeric, letters)}


def regions(iso3_codes: list[str]) -> dict[str, str]:
    """The World Bank region of each code (countrycode), former and user-assigned states by their territory."""
    from countrycode import countrycode

    found = countrycode(iso3_codes, origin="iso3c", destination="region") if iso3_codes else []
    return {code: REGIONS_OF_OTHER_CODES.get(code) or region for code, region in zip(iso3_codes, found)}
