"""The release's index.html: one self-contained page (charts embedded as PNG data) that
shows what a release holds before anyone downloads it; works offline and from any static
file host."""

import base64
import html
import io
import re

import markdown
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

import schemas  # noqa: E402
from pipeline import panels, release_docs  # noqa: E402
from schemas.coverage import ALL_REGIONS  # noqa: E402

_CHART_FROM = 1945
_LARGEST = 10  # treaties drawn one line each in the members chart
_PROGRAMS = 6  # programs drawn one line each

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
figure { margin: 1rem 0 2rem; }
img { max-width: 100%; }
details { margin: 0.5rem 0; }
"""


def _png(fig) -> str:
    """A figure as an <img> with its PNG inline; no timestamps, so the same data gives the same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img class="chart" alt="{html.escape(fig.get_label())}" src="data:image/png;base64,{data}">'


def _largest(years: pd.DataFrame, group: str, count: int) -> pd.DataFrame:
    """Distinct countries per year (rows) of the `count` groups with the most at their peak
    (columns, largest first); NaN where a group had none that year."""
    counts = years.groupby(["year", group])["country_iso3"].nunique().rename("countries").reset_index()
    largest = counts.groupby(group)["countries"].max().sort_values(ascending=False, kind="stable").index[:count]
    return counts[counts[group].isin(largest)].pivot(index="year", columns=group, values="countries")[list(largest)]


def largest_treaties(memberships: pd.DataFrame, treaties: pd.DataFrame, last_year: int) -> tuple[pd.DataFrame, pd.Series]:
    """Members per year (from _CHART_FROM) of the _LARGEST treaties with the most members at
    their peak, one column each, largest first; and the number of treaties in force per year."""
    years = panels.member_years(memberships, treaties, last_year)
    years = years[years.year >= _CHART_FROM]
    return _largest(years, "treaty_id", _LARGEST), years.groupby("year")["treaty_id"].nunique()


def members_chart(memberships: pd.DataFrame, treaties: pd.DataFrame, last_year: int) -> str:
    """At most _LARGEST + 1 lines however many treaties there are, so a reader can tell them
    apart and the cost does not grow with the number of treaties."""
    wide, in_force = largest_treaties(memberships, treaties, last_year)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True, height_ratios=(3, 1.3), label="Members of the largest treaties, and treaties in force")
    for treaty_id in wide.columns:
        top.step(wide.index, wide[treaty_id], where="post", label=treaty_id)
    top.set(title=f"Members of the {len(wide.columns)} largest treaties (by peak members), from {_CHART_FROM}", ylabel="members")
    if len(wide.columns):
        top.legend(fontsize=8, ncol=2, loc="upper left")
    bottom.step(in_force.index, in_force.to_numpy(), where="post", color="#555")
    bottom.set(title="Treaties in force (with at least one member)", xlabel="year", ylabel="treaties", xlim=(_CHART_FROM, last_year + 1))
    for axis in (top, bottom):
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _png(fig)


def program_partners(participants: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Distinct partner nations per year (rows) of the _PROGRAMS programs with the most (columns,
    largest first): a nation paired with two US states counts once."""
    return _largest(panels.partner_years(participants, last_year), "program_id", _PROGRAMS)


def programs_chart(participants: pd.DataFrame, last_year: int) -> str:
    wide = program_partners(participants, last_year)
    fig, ax = plt.subplots(figsize=(10, 4), label="Partner nations of each partnership program per year")
    for program_id in wide.columns:
        ax.step(wide.index, wide[program_id], where="post", label=program_id)
    ax.set(title=f"Partner nations per year, {len(wide.columns)} largest programs (a nation paired twice counts once)", xlabel="year", ylabel="partner nations")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(wide.columns):
        ax.legend(fontsize=8, loc="upper left")
    return _png(fig)


def hosts_chart(activities: pd.DataFrame) -> str:
    hosts = activities.groupby(["year", "program_id"])["host_country_iso3"].nunique().unstack(fill_value=0)
    fig, ax = plt.subplots(figsize=(10, 3.5), label="Host countries of program activities per year")
    for program_id in hosts.columns[:_PROGRAMS]:
        ax.plot(hosts.index.astype(int), hosts[program_id].to_numpy(), marker="o", label=program_id)
    ax.set(title="Host countries of each program's activities (missions, exercises) per year", xlabel="year", ylabel="host countries")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(hosts.columns):
        ax.legend(fontsize=8, loc="upper left")
    return _png(fig)


# Inline styles and embedded PNGs only: no script, no external fetch, whatever a note says.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _section(text: str) -> str:
    """Markdown as HTML, its headings moved two levels down to sit under the page's own.
    Markup in the text (which quotes note values) is escaped first, so it shows as text."""
    escaped = re.sub(r"^&gt; ", "> ", html.escape(text, quote=False), flags=re.MULTILINE)  # keep quote blocks
    return markdown.markdown(re.sub(r"^#", "###", escaped, flags=re.MULTILINE), extensions=["tables"])


def _preview(df: pd.DataFrame, rows: int = 5) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if pd.isna(v) else html.escape(str(v.date() if isinstance(v, pd.Timestamp) else v))}</td>" for v in row) + "</tr>"
        for row in df.head(rows).itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def page(version: str, created: str, tables: dict[str, pd.DataFrame], changelog: str, codebook: str) -> str:
    """The whole page as HTML text; `codebook` is the release README's markdown."""
    last_year = int(created[:4])
    overview = "".join(
        f'<tr><td><a href="{name}.csv">{name}</a></td><td>{len(tables[name])}</td><td>{len(tables[name].columns)}</td>'
        f'<td>{html.escape(t.description)}</td><td><a href="{name}.csv">CSV</a> · <a href="{name}.parquet">Parquet</a></td></tr>'
        for name, t in schemas.TABLES.items()
    )
    coverage = tables["coverage"]
    all_regions = coverage[coverage["region"] == ALL_REGIONS].drop(columns="region")
    decisions = tables["peer_decisions"][["peer", "peer_id", "decision", "treaty_id", "reason"]]
    previews = "".join(
        f"<details><summary>{name}: first rows</summary>{_preview(tables[name])}</details>" for name in schemas.TABLES
    )
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
{previews}
<h2 id="charts">Charts</h2>
<figure>{members_chart(tables["memberships"], tables["treaties"], last_year)}</figure>
<figure>{programs_chart(tables["program_participants"], last_year)}</figure>
<figure>{hosts_chart(tables["program_activities"])}</figure>
<h2 id="coverage">Coverage</h2>
<p>Treaties and membership spells begun per decade, all regions together (the <a href="coverage.csv">coverage</a> table has each region), and how many rest on no confirming source.</p>
{_preview(all_regions, len(all_regions))}
<p>Alliances that ATOP 5.1 codes as defence or offence pacts since 1945 and that no treaty here carries, with what was decided and why (<a href="peer_decisions.csv">peer_decisions</a>).</p>
{_preview(decisions, len(decisions))}
<h2 id="changelog">Changes</h2>
<section>{_section(changelog)}</section>
<h2 id="codebook">Codebook</h2>
<section>{_section(codebook)}</section>
</body></html>
"""
