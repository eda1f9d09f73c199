"""Code lists the schemas check against: country codes, US states, enumerations.

Only standard code lists belong here; facts about particular treaties live in raw/.
"""

import pycountry

# NOTE: Kosovo has no ISO 3166-1 code; XKX is the user-assigned code used by the
# European Commission, the IMF and the World Bank, and is what this dataset uses.
# States that ended before ISO 3166 (1974) gave them a code take codes from ISO's
# user-assigned range (X..): XRV for the Republic of Vietnam (South Vietnam, 1954-1975) and
# XZN for the People's Republic of Zanzibar (1963-1964).
USER_ASSIGNED_ISO3 = {"XKX": "Kosovo", "XRV": "Republic of Vietnam (South Vietnam)", "XZN": "Zanzibar"}

CURRENT_ISO3 = frozenset(c.alpha_3 for c in pycountry.countries)
FORMER_ISO3 = frozenset(c.alpha_3 for c in pycountry.historic_countries) - CURRENT_ISO3
VALID_ISO3 = CURRENT_ISO3 | FORMER_ISO3 | frozenset(USER_ASSIGNED_ISO3)

# USPS codes of the states, the District of Columbia and the territories with a
# National Guard (Puerto Rico, Guam, US Virgin Islands).
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI".split()
)

PRECISIONS = ("day", "month", "year")
TREATY_KINDS = (
    "collective_defense", "bilateral_defense", "defense_cooperation", "wartime_coalition",
    "consultation", "nonaggression", "neutrality", "friendship",
)
# The five obligation types of the ATOP codebook (Leeds et al.), in its order.
OBLIGATION_TYPES = ("defense", "offense", "neutrality", "nonaggression", "consultation")
PROGRAM_KINDS = ("military_partnership", "humanitarian_assistance", "security_designation", "partnership_framework")
MEMBER_ROLES = ("original", "acceded", "succeeded")
CODE_STATUSES = ("current", "former", "user_assigned")

# The World Bank's regions, as the countrycode library gives them for current codes.
REGIONS = (
    "East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean", "Middle East & North Africa",
    "North America", "South Asia", "Sub-Saharan Africa",
)
# Codes the library gives no region: former and user-assigned states, placed by their territory.
REGIONS_OF_OTHER_CODES = {
    "CSK": "Europe & Central Asia", "DDR": "Europe & Central Asia", "SCG": "Europe & Central Asia",
    "SUN": "Europe & Central Asia", "YUG": "Europe & Central Asia", "XKX": "Europe & Central Asia",
    "VDR": "East Asia & Pacific", "XRV": "East Asia & Pacific",
    "XZN": "Sub-Saharan Africa", "YMD": "Middle East & North Africa",
}

# The treaties columns that carry a peer dataset's alliance id: ATOP's and Correlates of War's.
CROSSWALKS = ("atop_id", "cow_id")

# What the project decided about an alliance a peer dataset codes and no treaty here carries.
PEER_DECISIONS = ("not_an_alliance", "part_of_treaty", "no_source_found", "not_yet_sourced")

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
