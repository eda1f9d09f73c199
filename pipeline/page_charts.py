"""The release page's charts over time. Each is bounded by what a reader can tell apart (the
largest treaties and programs get a line, the rest are aggregated), so it stays readable,
and costs the same, at any number of treaties; each comes with a sentence saying what it shows."""

import pandas as pd

from pipeline import charts, panels
from schemas.codes import OBLIGATION_TYPES

CHART_FROM = 1945
LARGEST = 10  # treaties drawn one line each in the members chart
PROGRAMS = 6  # programs drawn one line each


def _largest(years: pd.DataFrame, group: str, count: int) -> pd.DataFrame:
    """Distinct countries per year (rows) of the `count` groups with the most at their peak
    (columns, largest first); NaN where a group had none that year."""
    counts = years.groupby(["year", group])["country_iso3"].nunique().rename("countries").reset_index()
    largest = counts.groupby(group)["countries"].max().sort_values(ascending=False, kind="stable").index[:count]
    return counts[counts[group].isin(largest)].pivot(index="year", columns=group, values="countries")[list(largest)]


def charted_years(memberships: pd.DataFrame, treaties: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """(treaty_id, country_iso3, year, obligations...) for each year from CHART_FROM a country
    was a party: what the treaty charts count, expanded once for all of them."""
    years = panels.member_years(memberships, treaties, last_year, columns=OBLIGATION_TYPES)
    return years[years.year >= CHART_FROM]


def largest_treaties(years: pd.DataFrame, last_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members per year (from `charted_years`) of the LARGEST treaties with the most members at
    their peak, one column each, largest first; and, per year, how many other treaties were
    in force (with a member) and how many countries belonged to at least one of them."""
    wide = _largest(years, "treaty_id", LARGEST)
    rest = years[~years["treaty_id"].isin(wide.columns)].groupby("year")
    others = pd.DataFrame({"other treaties in force": rest["treaty_id"].nunique(), "countries in any of them": rest["country_iso3"].nunique()})
    return wide, others.reindex(range(CHART_FROM, last_year + 1), fill_value=0)


def members_chart(years: pd.DataFrame, treaty_count: int, last_year: int) -> tuple[str, str]:
    wide, others = largest_treaties(years, last_year)
    fig, (top, bottom) = charts.figure((10, 6.5), "Members of the largest treaties, and the other treaties", nrows=2, sharex=True, height_ratios=(3, 1.3))
    charts.lines(top, wide)
    top.set(title=f"Members of the {len(wide.columns)} largest treaties (by peak members), from {CHART_FROM}", ylabel="members")
    charts.lines(bottom, others)
    bottom.set(title="Every other treaty, together", xlabel="year", ylabel="count", xlim=(CHART_FROM, last_year + 1))
    charts.integer_axes(top, bottom)
    sentence = (
        f"The {len(wide.columns)} treaties with the most members at their peak, one line each; below, the other "
        f"{max(0, treaty_count - len(wide.columns))} treaties together: how many were in force each year and how many countries belonged to one of them."
    )
    return charts.png(fig), sentence


def obligations_in_force(years: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Treaties in force per year (rows, from `charted_years`) that carry each ATOP obligation
    type (columns) for at least one member that year."""
    carried = years.groupby(["year", "treaty_id"])[list(OBLIGATION_TYPES)].any()
    counts = carried.groupby("year").sum()
    return counts.reindex(range(CHART_FROM, last_year + 1), fill_value=0).astype("int64")


def obligations_chart(years: pd.DataFrame, last_year: int) -> tuple[str, str]:
    wide = obligations_in_force(years, last_year)
    fig, ax = charts.figure((10, 4), "Treaties in force by obligation type")
    charts.lines(ax, wide)
    ax.set(title="Treaties in force carrying each obligation type", xlabel="year", ylabel="treaties", xlim=(CHART_FROM, last_year + 1))
    charts.integer_axes(ax)
    latest = wide.iloc[-1] if len(wide) else pd.Series(0, index=list(OBLIGATION_TYPES))
    sentence = (
        "Treaties in force each year that bind at least one member to each of the five ATOP obligation types "
        "(a treaty with several types counts under each); in "
        f"{last_year}: " + ", ".join(f"{latest[kind]} {kind}" for kind in OBLIGATION_TYPES) + "."
    )
    return charts.png(fig), sentence


def program_partners(participants: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Distinct partner nations per year (rows) of the PROGRAMS programs with the most (columns,
    largest first): a nation paired with two US states counts once."""
    return _largest(panels.partner_years(participants, last_year), "program_id", PROGRAMS)


def programs_chart(participants: pd.DataFrame, last_year: int) -> tuple[str, str]:
    wide = program_partners(participants, last_year)
    fig, ax = charts.figure((10, 4), "Partner nations of each partnership program per year")
    charts.lines(ax, wide)
    ax.set(title=f"Partner nations per year, {len(wide.columns)} largest programs", xlabel="year", ylabel="partner nations")
    charts.integer_axes(ax)
    sentence = (
        "Distinct partner nations of each partnership program per year (a nation paired with two US states counts once), "
        f"for the {len(wide.columns)} programs with the most."
    )
    return charts.png(fig), sentence


def hosts_chart(activities: pd.DataFrame) -> tuple[str, str]:
    hosts = activities.groupby(["year", "program_id"])["host_country_iso3"].nunique().unstack(fill_value=0)
    hosts = hosts[hosts.max().sort_values(ascending=False, kind="stable").index[:PROGRAMS]]
    hosts.index = hosts.index.astype(int)
    fig, ax = charts.figure((10, 3.5), "Host countries of program activities per year")
    charts.lines(ax, hosts, step=False)
    ax.set(title="Host countries of each program's activities (missions, exercises) per year", xlabel="year", ylabel="host countries")
    charts.integer_axes(ax, x=True)
    sentence = "How many countries hosted each program's activities (a mission, an exercise) in each year they took place."
    return charts.png(fig), sentence
