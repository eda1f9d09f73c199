"""The release page's world maps: countries shaded by how many states they were allied with
in a chosen year, drawn offline from Natural Earth's 1:110m countries as inline SVG (each
outline once, each year's map a fill per outline, a tooltip per country).

The outlines are world-atlas 2.0.2 (Natural Earth 4.1.0 as TopoJSON, from the npm
registry), kept in `pipeline/data/world-atlas/` so a build needs no network and no Node.
"""

import functools
import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

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
_NO_ALLY, _NOT_CODED, _EDGE = "#e9e9e9", "#ffffff", "#8a8a8a"
# The drawn window (degrees) and the vertical stretch of the plate carree that keeps
# Europe's shapes recognisable.
WEST, EAST, SOUTH, NORTH, STRETCH = -180, 180, -58, 84, 1.15


def _arcs(topology: dict) -> list[np.ndarray]:
    """TopoJSON arcs as longitude/latitude arrays (they are quantized and delta-encoded)."""
    scale, translate = np.array(topology["transform"]["scale"]), np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def _rings(arcs: list[np.ndarray], indexes: list[int]) -> list[np.ndarray]:
    """One closed ring (arcs joined end to start; a negative index ~i is arc i reversed), as
    drawn on a flat map: a ring crossing the 180th meridian (Russia, Fiji) is made continuous
    and drawn twice, 360 degrees apart, the map's frame clipping each copy at its edge."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
    ring = np.concatenate([parts[0], *(part[1:] for part in parts[1:])])
    jumps = np.diff(ring[:, 0])
    if not (np.abs(jumps) > 180).any():
        return [ring]
    ring[1:, 0] -= 360 * np.cumsum(np.round(jumps / 360))
    shift = 360 if ring[:, 0].min() < -180 else -360
    return [ring, ring + [shift, 0]]


@functools.cache
def outlines() -> dict[str, list[np.ndarray]]:
    """ISO alpha-3 code (or Natural Earth's name where there is none) to the rings of the
    country's outline (longitude, latitude), holes included; Antarctica left out."""
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
        shapes[country.alpha_3 if country else _UNNUMBERED.get(name, name)] = rings
    return shapes


def _svg_path(rings: list[np.ndarray]) -> str:
    """Rings as SVG path data in the map's frame (y down, stretched), to 0.1 unit; holes
    are cut by the even-odd fill rule."""
    parts = []
    for ring in rings:
        points = np.round(np.column_stack([ring[:, 0], -STRETCH * ring[:, 1]]), 1)
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


@functools.cache
def outline_defs() -> str:
    """Every outline once, as an invisible SVG the maps' <use> elements point at (o0, o1, ...)."""
    paths = "".join(f'<path id="o{i}" d="{_svg_path(rings)}"/>' for i, rings in enumerate(outlines().values()))
    return f'<svg class="outlines" width="0" height="0" aria-hidden="true"><defs>{paths}</defs></svg>'


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


def _legend(colours: list[str]) -> str:
    """The classes' key, in the South Pacific at the map's lower left."""
    rows = [*zip(colours, _labels()), (_NO_ALLY, "no ally")]
    top = STRETCH * -SOUTH - 5 * len(rows) - 6
    keys = "".join(f'<rect x="-176" y="{top + 5 * i + 3:g}" width="5" height="3.6" fill="{colour}"/><text x="-169" y="{top + 5 * i + 6:g}">{label}</text>'
                   for i, (colour, label) in enumerate(rows))
    return f'<g font-size="4" stroke="{_EDGE}" stroke-width="0.12"><text x="-176" y="{top:g}" stroke="none">allies</text>{keys}</g>'


def allies_map(counts: pd.Series, year: int) -> str:
    """One year's map as inline SVG drawing the outlines of `outline_defs`: a class per range
    of allies, grey for a country with none, white for land without a country code
    (Northern Cyprus, Somaliland); hovering a country names it and its count."""
    colours = charts.sequential(len(BINS) + 1)
    drawn = shading(counts)
    shapes = []
    for i, code in enumerate(outlines()):
        if code in drawn:
            fill, tip = colours[np.searchsorted(BINS, drawn[code], side="left")], f"{code}: {drawn[code]} {'ally' if drawn[code] == 1 else 'allies'}"
        else:
            fill, tip = (_NO_ALLY, f"{code}: no ally") if len(code) == 3 else (_NOT_CODED, f"{code}: no country code")
        shapes.append(f'<use href="#o{i}" fill="{fill}"><title>{html.escape(tip)}</title></use>')
    frame = f"{WEST} {-STRETCH * NORTH:g} {EAST - WEST} {STRETCH * (NORTH - SOUTH):g}"
    return (f'<svg class="map" viewBox="{frame}" role="img" aria-label="Allies of each state in {year}">'
            f'<g stroke="{_EDGE}" stroke-width="0.12" fill-rule="evenodd">{"".join(shapes)}</g>{_legend(colours)}</svg>')


def map_years(years: pd.Series, last_year: int) -> list[int]:
    """The years offered on the page: the last one, then 2020, 2000, ... back to 1960,
    those the panel holds."""
    held = set(years.unique())
    return [year for year in (last_year, *range(last_year - last_year % 20, 1949, -20)) if year in held]
