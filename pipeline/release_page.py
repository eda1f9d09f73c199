"""The release's index.html: one self-contained page (charts embedded as PNG data, maps as
inline SVG) that shows what a release holds before anyone downloads it; works offline and
from any static file host."""

import html
import re

import markdown
import pandas as pd

import schemas
from pipeline import page_charts, page_tables, release_docs, world_map
from pipeline.release_index import FORMATS
from schemas.coverage import ALL_REGIONS

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 80rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
table.data { width: max-content; }
table.data td { max-width: 22rem; }
td.files { white-space: nowrap; }
table.data th { cursor: pointer; position: sticky; top: 0; }
table.data tr.filters th { cursor: auto; top: 1.6rem; }
table.data input { width: 5rem; font-size: 0.8rem; }
.scroll { max-height: 32rem; overflow: auto; }
figure { margin: 1rem 0 2rem; }
figcaption { max-width: 50rem; color: #444; }
img { max-width: 100%; }
svg.map { width: 100%; height: auto; }
svg.outlines { position: absolute; }
svg.map text { fill: #222; font-family: system-ui, sans-serif; }
details { margin: 0.5rem 0; }
.maps > input { position: absolute; opacity: 0; }
.maps > label { display: inline-block; padding: 0.2rem 0.7rem; border: 1px solid #bbb; margin-right: 0.3rem; cursor: pointer; }
.maps > figure { display: none; }
"""


# Inline styles, embedded PNGs, inline SVG and the one constant script only: no external fetch, and
# nothing a note says can run.
CONTENT_SECURITY_POLICY = f"default-src 'none'; script-src '{page_tables.SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _section(text: str) -> str:
    """Markdown as HTML, its headings moved two levels down to sit under the page's own.
    Markup in the text (which quotes note values) is escaped first, so it shows as text."""
    escaped = re.sub(r"^&gt; ", "> ", html.escape(text, quote=False), flags=re.MULTILINE)  # keep quote blocks
    return markdown.markdown(re.sub(r"^#", "###", escaped, flags=re.MULTILINE), extensions=["tables"])


def _figure(chart: tuple[str, str]) -> str:
    image, sentence = chart
    return f"<figure>{image}<figcaption>{html.escape(sentence)}</figcaption></figure>"


def _map_figure(counts: pd.Series, year: int) -> str:
    hidden = sorted(set(counts.index) - set(world_map.outlines()) - set(world_map.DRAWN_AS))
    sentence = (
        f"Each country shaded by how many states it was allied with in {year}: it shared a treaty in force that bound "
        f"one of them toward the other (any of the five ATOP obligation types); {len(counts)} states had an ally. "
        "States since dissolved are drawn on their successors' outlines. Outlines: Natural Earth 1:110m, "
        f"too coarse for {len(hidden)} of these states ({', '.join(hidden) or 'none'})."
    )
    return f'<figure id="map-figure-{year}">{world_map.allies_map(counts, year)}<figcaption>{html.escape(sentence)}</figcaption></figure>'


def _maps(dyad_year: pd.DataFrame, last_year: int) -> str:
    """One map per offered year; radio buttons and CSS choose the one shown, no script needed."""
    years = world_map.map_years(dyad_year["year"], last_year)
    if not years:
        return "<p>No treaty with an obligation was in force in any year the maps offer.</p>"
    rules = "".join(f"#map-{y}:checked ~ #map-figure-{y} {{ display: block; }} #map-{y}:checked + label {{ background: #ddd; }}" for y in years)
    buttons = "".join(f'<input type="radio" name="map-year" id="map-{y}"{" checked" if i == 0 else ""}><label for="map-{y}">{y}</label>' for i, y in enumerate(years))
    figures = "".join(_map_figure(counts, y) for y, counts in world_map.allies(dyad_year, years).items())
    return f'<style>{rules}</style>{world_map.outline_defs()}<div class="maps">{buttons}{figures}</div>'


def _file_links(table: str) -> str:
    return " · ".join(f'<a href="{table}{suffix}">{title}</a>' for suffix, (title, _) in FORMATS.items())


def page(version: str, created: str, tables: dict[str, pd.DataFrame], changelog: str, codebook: str) -> str:
    """The whole page as HTML text; `codebook` is the release README's markdown."""
    last_year = int(created[:4])
    overview = "".join(
        f'<tr><td><a href="{name}.csv">{name}</a></td><td>{len(tables[name]):,}</td><td>{len(tables[name].columns)}</td>'
        f'<td>{html.escape(t.description)}</td><td class="files">{_file_links(name)}</td></tr>'
        for name, t in schemas.TABLES.items()
    )
    coverage = tables["coverage"]
    all_regions = coverage[coverage["region"] == ALL_REGIONS].drop(columns="region")
    decisions = tables["peer_decisions"][["peer", "peer_id", "decision", "treaty_id", "reason"]]
    years = page_charts.charted_years(tables["memberships"], tables["treaties"], last_year)
    browse = "".join(page_tables.browsable(name, tables[name]) for name in schemas.TABLES)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{release_docs.TITLE} {version}</title><style>{_STYLE}</style></head>
<body>
<h1>{release_docs.TITLE}, version {html.escape(version)}</h1>
<p>Published {created}. <a href="alliances-dataset-{version}.zip">Download everything (zip)</a> ·
<a href="datapackage.json">datapackage.json</a> · <a href="SHA256SUMS">SHA256SUMS</a> · <a href="CHANGELOG.md">CHANGELOG.md</a></p>
<h2 id="tables">Tables</h2>
<table id="table-overview"><tr><th>table</th><th>rows</th><th>columns</th><th>one row per</th><th>files</th></tr>{overview}</table>
<p>Open a table to search it, filter it by column or sort it by a column's header.</p>
{browse}
<h2 id="charts">Charts</h2>
{_figure(page_charts.members_chart(years, len(tables["treaties"]), last_year))}
{_figure(page_charts.obligations_chart(years, last_year))}
{_figure(page_charts.programs_chart(tables["program_participants"], last_year))}
{_figure(page_charts.hosts_chart(tables["program_activities"]))}
<h2 id="map">Map</h2>
{_maps(tables["dyad_year"], last_year)}
<h2 id="coverage">Coverage</h2>
<p>Treaties and membership spells begun per decade, all regions together (the <a href="coverage.csv">coverage</a> table has each region), and how many rest on no confirming source.</p>
{page_tables.static_table(all_regions)}
<p>Alliances that ATOP 5.1 codes as defence or offence pacts since 1945 and that no treaty here carries, with what was decided and why (<a href="peer_decisions.csv">peer_decisions</a>).</p>
{page_tables.static_table(decisions)}
<h2 id="changelog">Changes</h2>
<section>{_section(changelog)}</section>
<h2 id="codebook">Codebook</h2>
<section>{_section(codebook)}</section>
<script>{page_tables.SCRIPT}</script>
</body></html>
"""
