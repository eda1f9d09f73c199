"""The release page's charts stay readable at any number of treaties and programs."""

import pandas as pd

from pipeline.page_charts import LARGEST, PROGRAMS, charted_years, largest_treaties, obligations_in_force, program_partners
from schemas.codes import CURRENT_ISO3, OBLIGATION_TYPES

COUNTRIES = sorted(CURRENT_ISO3)


def _spells(treaty: str, members: int, joined: str, left: str | None = None) -> list[dict]:
    return [{"treaty_id": treaty, "country_iso3": c, "joined": pd.Timestamp(joined), "left": pd.Timestamp(left) if left else pd.NaT,
             "left_precision": "day" if left else None, **dict.fromkeys(OBLIGATION_TYPES, False)} for c in COUNTRIES[:members]]


def _treaties(ids) -> pd.DataFrame:  # what member_years reads of the treaties
    return pd.DataFrame({"treaty_id": list(ids), "ended": pd.NaT, "ended_precision": None, "known_in_force_until": pd.NaT})


def test_only_the_largest_treaties_get_a_line_and_the_others_are_counted_together():
    rows = [row for size in range(1, 41) for row in _spells(f"t{size:02d}", size, "1950-03-01")]
    rows += _spells("before-1945", 100, "1900-01-01", "1940-06-30")  # large, but not in the charted years
    rows += _spells("t40", 1, "1960-05-01")  # a second spell of a member: still 40 members
    wide, others = largest_treaties(charted_years(pd.DataFrame(rows), _treaties([f"t{s:02d}" for s in range(1, 41)] + ["before-1945"]), 2000), 2000)
    assert list(wide.columns) == [f"t{s:02d}" for s in range(40, 40 - LARGEST, -1)]
    assert wide.loc[1999].tolist() == list(range(40, 40 - LARGEST, -1))
    assert wide.index.min() == 1950
    # t01..t30 are the others: each has the first `size` countries, so together the first 30
    assert others.loc[1950].tolist() == [40 - LARGEST, 40 - LARGEST] and others.loc[2000].tolist() == [30, 30]
    assert others.loc[1945].tolist() == [0, 0]
    assert largest_treaties(charted_years(pd.DataFrame(rows), _treaties([]), 2000), 2000)[0].empty  # no treaty, no line


def test_program_chart_counts_distinct_nations_of_the_largest_programs():
    rows = [{"program_id": f"p{size:02d}", "country_iso3": c, "start_year": 2000, "end_year": None} for size in range(1, 11) for c in COUNTRIES[:size]]
    rows += [{"program_id": "p10", "country_iso3": COUNTRIES[0], "start_year": 2005, "end_year": 2010}]  # paired with a second state
    rows += [{"program_id": "p01", "country_iso3": COUNTRIES[5], "start_year": 2001, "end_year": 2002}]  # a spell that ended
    wide = program_partners(pd.DataFrame(rows).astype({"end_year": "Int64"}), 2020)
    assert list(wide.columns) == [f"p{s:02d}" for s in range(10, 10 - PROGRAMS, -1)]
    assert wide.loc[2007, "p10"] == 10 and wide.index.min() == 2000 and wide.index.max() == 2020
    everything = program_partners(pd.DataFrame(rows[:1] + rows[-1:]).astype({"end_year": "Int64"}), 2020)
    assert everything.loc[2001, "p01"] == 2 and everything.loc[2003, "p01"] == 1


def test_obligations_count_each_treaty_once_per_type_its_members_carry_that_year():
    rows = _spells("a", 3, "1950-01-01") + _spells("b", 2, "1960-01-01", "1970-06-30") + _spells("c", 2, "1955-01-01")
    kinds = {"a": {"defense"}, "b": {"defense", "consultation"}, "c": set()}
    for row in rows:
        row.update({kind: kind in kinds[row["treaty_id"]] for kind in OBLIGATION_TYPES})
    rows[0]["offense"] = True  # one member of `a` also promises offence
    wide = obligations_in_force(charted_years(pd.DataFrame(rows), _treaties("abc"), 1980), 1980)
    assert list(wide.columns) == list(OBLIGATION_TYPES) and wide.index.min() == 1945 and wide.index.max() == 1980
    assert wide.loc[1949].sum() == 0
    assert wide.loc[1965, "defense"] == 2 and wide.loc[1965, "consultation"] == 1 and wide.loc[1965, "offense"] == 1
    assert wide.loc[1971, "defense"] == 1 and wide.loc[1971, "consultation"] == 0
