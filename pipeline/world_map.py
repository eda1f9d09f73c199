"""The release page's world maps: countries shaded by how many states they were allied with
in a chosen year, drawn offline from Natural Earth's 1:110m countries.

The outlines are world-atlas 2.0.2 (Natural Earth 4.1.0 as TopoJSON, from the npm
registry), kept in `pipeline/data/world-atlas/` so a build needs no network and no Node.
"""

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from pipeline import charts
from schemas.codes import OBLIGATION_TYPES

TOPOLOGY = Path(__file__).parent / "data" / "world-atlas" / "countries-110m.json"
ANTARCTICA = "010"
# Natural Earth features without an ISO 3166 numeric code; those the dataset codes.
_UNNUMBERED = {"Kosovo": "XKX"}
# States of the past drawn on today's outlines. NOTE: the German Democratic Republic is
# left out, as Natural Earth draws one Germany (the Federal Republic's code).
DRAWN_AS = {
    "SUN": ("RUS", "UKR", "BLR", "MDA", "EST", "LVA", "LTU", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB"),
    "YUG": ("SRB", "HRV", "SVN", "BIH", "MKD", "MNE", "XKX"),
    "SCG": ("SRB", "MNE", "XKX"),
    "CSK": ("CZE", "SVK"),
    "VDR": ("VNM",),
    "YMD": ("YEM",),
}
# Upper bounds of the shading classes (allies), the last open-ended.
BINS = (2, 5, 10, 20, 35, 50, 75)
_NO_ALLY, _NOT_CODED = "#e9e9e9", "#ffffff"


def _arcs(topology: dict) -> list[np.ndarray]:
    """TopoJSON arcs as longitude/latitude arrays (they are quantized and delta-encoded)."""
    scale, translate = np.array(topology["transform"]["scale"]), np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def _rings(arcs: list[np.ndarray], indexes: list[int]) -> list[np.ndarray]:
    """One closed ring (arcs joined end to start; a negative index ~i is arc i reversed), as
    drawn on a flat map: a ring crossing the 180th meridian (Russia, Fiji) is made continuous
    and drawn twice, 360 degrees apart, the axes clipping each copy at the map's edge."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
    ring = np.concatenate([parts[0], *(part[1:] for part in parts[1:])])
    jumps = np.diff(ring[:, 0])
    if not (np.abs(jumps) > 180).any():
        return [ring]
    ring[1:, 0] -= 360 * np.cumsum(np.round(jumps / 360))
    shift = 360 if ring[:, 0].min() < -180 else -360
    return [ring, ring + [shift, 0]]


@functools.cache
def outlines() -> dict[str, MplPath]:
    """ISO alpha-3 code (or Natural Earth's name where there is none) to the country's outline,
    holes included; Antarctica left out."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [drawn for polygon in polygons for ring in polygon for drawn in _rings(arcs, ring)]
        country = pycountry.countries.get(numeric=geometry["id"]) if "id" in geometry else None
        name = geometry["properties"]["name"]
        shapes[country.alpha_3 if country else _UNNUMBERED.get(name, name)] = MplPath.make_compound_path(*(MplPath(r, closed=True) for r in rings))
    return shapes


def allies(dyad_year: pd.DataFrame, years: list[int]) -> dict[int, pd.Series]:
    """Per year and country, the states it shared a treaty in force with that carried an
    obligation between them (a suspended treaty, with none, does not count)."""
    pairs = dyad_year[dyad_year["year"].isin(years) & dyad_year[list(OBLIGATION_TYPES)].any(axis=1)]
    both_ways = pd.concat([pairs[["year", "country_a"]].set_axis(["year", "country"], axis=1), pairs[["year", "country_b"]].set_axis(["year", "country"], axis=1)])
    counted = both_ways.groupby("year")["country"]
    return {year: counted.get_group(year).value_counts().rename("allies") if year in counted.groups else pd.Series(dtype="int64", name="allies") for year in years}


def shading(counts: pd.Series) -> dict[str, int]:
    """Allies per outline: a country's own count, else that of the past state it was part of."""
    drawn = {code: int(n) for code, n in counts.items() if code in outlines()}
    for past, parts in DRAWN_AS.items():
        if past in counts:
            drawn.update({part: int(counts[past]) for part in parts if part not in drawn})
    return drawn


def _labels() -> list[str]:
    lows = (1, *(bound + 1 for bound in BINS[:-1]))  # a class holds (previous bound, bound]
    spans = [str(low) if low == high else f"{low}-{high}" for low, high in zip(lows, BINS)]
    return [*spans, f"over {BINS[-1]}"]


def allies_map(counts: pd.Series, year: int) -> str:
    """One year's map as an <img>: a class per range of allies, grey for a country with none,
    white for land without a country code (Northern Cyprus, Somaliland)."""
    colours = charts.sequential(len(BINS) + 1)
    shade = {code: colours[np.searchsorted(BINS, n, side="left")] for code, n in shading(counts).items()}
    fig, ax = charts.figure(size=(12, 6.2), label=f"Allies of each state in {year}")
    shapes = outlines()
    faces = [shade.get(code, _NO_ALLY if len(code) == 3 else _NOT_CODED) for code in shapes]
    ax.add_collection(PatchCollection([PathPatch(path) for path in shapes.values()], facecolors=faces, edgecolors="#8a8a8a", linewidths=0.3))
    ax.set(xlim=(-180, 180), ylim=(-58, 84), aspect=1.15, title=f"Allies of each state in {year}")
    ax.set_axis_off()
    legend = [Patch(facecolor=colour, edgecolor="#8a8a8a", label=label) for colour, label in zip(colours, _labels())]
    legend.append(Patch(facecolor=_NO_ALLY, edgecolor="#8a8a8a", label="no ally"))
    ax.legend(handles=legend, title="allies", loc="lower left", fontsize=8, title_fontsize=8, frameon=False)
    return charts.png(fig)


def map_years(years: pd.Series, last_year: int) -> list[int]:
    """The years offered on the page: the last one, then 2020, 2000, ... back to 1960,
    those the panel holds."""
    held = set(years.unique())
    return [year for year in (last_year, *range(last_year - last_year % 20, 1949, -20)) if year in held]
