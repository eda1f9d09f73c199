"""The world map's outlines and what it shades."""

import re

import numpy as np
import pandas as pd

from pipeline import charts, world_map
from schemas.codes import OBLIGATION_TYPES


def test_outlines_cover_the_world_and_no_ring_jumps_across_the_map():
    shapes = world_map.outlines()
    assert len(shapes) > 170 and {"USA", "RUS", "FJI", "XKX", "DEU"} <= set(shapes) and "ATA" not in shapes
    for code in ("RUS", "FJI", "USA"):
        for ring in shapes[code]:
            assert (np.abs(np.diff(ring[:, 0])) < 180).all(), code  # a ring crossing the 180th meridian is drawn whole
    longitudes = np.concatenate([ring[:, 0] for ring in shapes["RUS"]])
    assert longitudes.min() < -170 and longitudes.max() > 180  # Chukotka drawn both beyond 180 and, shifted, at the western edge


def test_each_outline_is_defined_once_and_every_map_fills_each_with_its_class():
    codes = list(world_map.outlines())
    defs = world_map.outline_defs()
    assert re.findall(r'<path id="(o\d+)"', defs) == [f"o{i}" for i in range(len(codes))]
    svg = world_map.allies_map(pd.Series({"USA": 1, "FRA": 3, "SUN": 80}), 1990)
    fills = dict(re.findall(r'<use href="#(o\d+)" fill="([^"]+)">', svg))
    assert len(fills) == len(codes)
    colour = dict(zip(codes, (fills[f"o{i}"] for i in range(len(codes)))))
    classes = charts.sequential(len(world_map.BINS) + 1)
    assert colour["USA"] == classes[0] and colour["FRA"] == classes[1] and colour["KAZ"] == classes[-1]
    assert colour["BRA"] == "#e9e9e9" and "<title>USA: 1 ally</title>" in svg and "<title>KAZ: 80 allies</title>" in svg
    assert 'aria-label="Allies of each state in 1990"' in svg


def _dyads(*pairs) -> pd.DataFrame:
    rows = []
    for a, b, year, obligations in pairs:
        rows.append({"country_a": a, "country_b": b, "year": year, **{kind: kind in obligations for kind in OBLIGATION_TYPES}})
    return pd.DataFrame(rows)


def test_allies_count_pairs_with_an_obligation_in_that_year_only():
    dyads = _dyads(("AUS", "USA", 1990, {"defense"}), ("NZL", "USA", 1990, set()), ("AUS", "NZL", 1990, {"consultation"}), ("AUS", "USA", 1991, {"defense"}))
    assert world_map.allies(dyads, [1990])[1990].to_dict() == {"AUS": 2, "USA": 1, "NZL": 1}


def test_a_dissolved_state_is_drawn_on_its_successors_unless_they_have_counts_of_their_own():
    drawn = world_map.shading(pd.Series({"SUN": 7, "UKR": 2, "CSK": 4, "DDR": 6, "USA": 1}))
    assert drawn["RUS"] == 7 and drawn["KAZ"] == 7 and drawn["UKR"] == 2
    assert drawn["CZE"] == drawn["SVK"] == 4 and "DDR" not in drawn and drawn["USA"] == 1


def test_map_years_are_the_last_and_every_twentieth_back_to_1950_that_the_panel_holds():
    assert world_map.map_years(pd.Series(range(1945, 2027)), 2026) == [2026, 2020, 2000, 1980, 1960]
    assert world_map.map_years(pd.Series([1999, 2000, 2026]), 2026) == [2026, 2000]
