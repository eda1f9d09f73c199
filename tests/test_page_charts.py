"""The release page's members chart stays readable at any number of treaties."""

import pandas as pd

from pipeline.release_page import _LARGEST, largest_treaties
from schemas.codes import CURRENT_ISO3

COUNTRIES = sorted(CURRENT_ISO3)


def _spells(treaty: str, members: int, joined: str, left: str | None = None) -> list[dict]:
    return [{"treaty_id": treaty, "country_iso3": c, "joined": pd.Timestamp(joined), "left": pd.Timestamp(left) if left else pd.NaT,
             "left_precision": "day" if left else None} for c in COUNTRIES[:members]]


def _treaties(ids) -> pd.DataFrame:
    return pd.DataFrame({"treaty_id": list(ids), "ended": pd.NaT, "ended_precision": None, "known_in_force_until": pd.NaT})


def test_only_the_largest_treaties_get_a_line_and_every_treaty_is_counted_in_force():
    rows = [row for size in range(1, 41) for row in _spells(f"t{size:02d}", size, "1950-03-01")]
    rows += _spells("before-1945", 100, "1900-01-01", "1940-06-30")  # large, but not in the charted years
    rows += _spells("t40", 1, "1960-05-01")  # a second spell of a member: still 40 members
    wide, in_force = largest_treaties(pd.DataFrame(rows), _treaties([f"t{s:02d}" for s in range(1, 41)] + ["before-1945"]), 2000)
    assert list(wide.columns) == [f"t{s:02d}" for s in range(40, 40 - _LARGEST, -1)]
    assert wide.loc[1999].tolist() == list(range(40, 40 - _LARGEST, -1))
    assert wide.index.min() == 1950 and in_force.loc[1950] == 40 and in_force.loc[2000] == 40
    assert largest_treaties(pd.DataFrame(rows), _treaties([]), 2000)[0].empty  # no treaty, no line
