"""Building the published tables from validated notes.

Each function returns a DataFrame with the columns of its schema in schema order, plus
`_line`, the line of the note that defines the row, so that a failed check can point a
curator at the file and line; `_line` is dropped before publishing.
"""

import datetime as dt

import pandas as pd

import schemas
from pipeline import quote_check
from pipeline.countries import code_status, country_name, library_cow_codes, regions
from pipeline.note_models import PartialDate
from pipeline.notes import Note, Notes
from schemas.codes import OBLIGATION_TYPES

LINE = "_line"


_DTYPES = {"date": "datetime64[s]", "integer": "Int64", "boolean": "bool", "string": "string"}


def schema_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the schema's columns and dtypes (so an all-null date column is still a date)."""
    fields = schemas.TABLES[table].fields
    df = pd.DataFrame(rows, columns=[f.name for f in fields] + [LINE])
    return df.astype({f.name: _DTYPES[f.type] for f in fields} | {LINE: "int64"})


def _dated(column: str, value: PartialDate | None) -> dict:
    if value is None:
        return {column: None, f"{column}_precision": None}
    return {column: pd.Timestamp(value.value), f"{column}_precision": value.precision}


def _provenance(note: Note, row, date: PartialDate | int | None, countries: list[str] = ()) -> dict:
    """Where the row comes from, and what its quote (or else its source's) fails to state."""
    source = next(s for s in note.model.sources if s.id == row.source)
    return {
        "unconfirmed": row.unconfirmed or note.model.unconfirmed,
        "quote_gaps": quote_check.gaps(row.quote or source.quote, date, list(countries)),
        "source_urls": source.url, "source_note": note.path,
    }


def _obligations(held: list[str]) -> dict:
    return {kind: kind in held for kind in OBLIGATION_TYPES}


def treaties_table(notes: Notes) -> pd.DataFrame:
    rows = []
    for note in notes.treaties:
        t = note.model
        held = {kind for m in t.members for kind in (t.obligations if m.obligations is None else m.obligations)}
        rows.append({
            "treaty_id": t.id, "name": t.name, "short_name": t.short_name, "kind": t.kind, **_obligations(held),
            **_dated("signed", t.signed), **_dated("in_force", t.in_force), **_dated("ended", t.ended), **_dated("known_in_force_until", t.known_in_force_until),
            "succeeded_by": t.succeeded_by, "atop_id": t.atop_id, "cow_id": t.cow_id, "note": t.note,
            **_provenance(note, t, t.in_force or t.signed), LINE: note.line("id"),
        })
    return schema_frame("treaties", rows)


def memberships_table(notes: Notes, countries: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for note in notes.treaties:
        t = note.model
        spells: dict[str, int] = {}
        for i, m in sorted(enumerate(t.members), key=lambda item: item[1].joined.value):
            spells[m.country] = spells.get(m.country, 0) + 1
            rows.append({
                "treaty_id": t.id, "country_iso3": m.country, "country_name": country_name(m.country),
                "cow_ccode": None, "spell": spells[m.country], "role": m.role,
                **_obligations(t.obligations if m.obligations is None else m.obligations),
                "obligations_toward": " ".join(sorted(m.obligations_toward)) if m.obligations_toward else None,
                **_dated("joined", m.joined), **_dated("left", m.left), "note": m.note,
                **_provenance(note, m, m.joined, [m.country]), LINE: note.line("members", i),
            })
    df = schema_frame("memberships", rows)
    df["cow_ccode"] = cow_by_year(countries, cow_periods(notes), pd.DataFrame({"country_iso3": df["country_iso3"], "year": df["joined"].dt.year}))
    return df


def suspensions_table(notes: Notes) -> pd.DataFrame:
    rows = []
    for note in notes.treaties:
        for i, s in enumerate(note.model.suspensions):
            rows.append({
                "treaty_id": note.model.id, "suspended_by": s.by, "suspended_toward": s.toward,
                **_dated("started", s.since), **_dated("ended", s.until), "note": s.note,
                **_provenance(note, s, s.since, [s.by, s.toward]), LINE: note.line("suspensions", i),
            })
    return schema_frame("suspensions", rows)


def programs_table(notes: Notes) -> pd.DataFrame:
    rows = []
    for note in notes.programs:
        p = note.model
        rows.append({
            "program_id": p.id, "name": p.name, "short_name": p.short_name, "sponsor": p.sponsor, "kind": p.kind,
            **_dated("started", p.started), **_dated("ended", p.ended), "description": p.description,
            **_provenance(note, p, p.started), LINE: note.line("id"),
        })
    return schema_frame("programs", rows)


def participant_id(program_id: str, country: str, us_state: str | None, spell: int) -> str:
    """'program:COUNTRY[:STATE]', with ':2', ':3' for a partner's later spells."""
    return ":".join(str(part) for part in (program_id, country, us_state, spell if spell > 1 else None) if part)


def participants_table(notes: Notes, countries: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for note in notes.programs:
        spells: dict[tuple, int] = {}
        for i, p in sorted(enumerate(note.model.participants), key=lambda item: item[1].start_year):
            spells[p.country, p.us_state] = spells.get((p.country, p.us_state), 0) + 1
            rows.append({
                "participant_id": participant_id(note.model.id, p.country, p.us_state, spells[p.country, p.us_state]),
                "program_id": note.model.id, "country_iso3": p.country, "country_name": country_name(p.country),
                "cow_ccode": None, "us_state": p.us_state, "start_year": p.start_year, "announced_year": p.announced_year,
                "end_year": p.end_year, "note": p.note, **_provenance(note, p, p.start_year, [p.country]), LINE: note.line("participants", i),
            })
    df = schema_frame("program_participants", rows)
    df["cow_ccode"] = cow_by_year(countries, cow_periods(notes), df[["country_iso3"]].assign(year=df["start_year"]))
    return df


def activities_table(notes: Notes) -> pd.DataFrame:
    rows = []
    for note in notes.programs:
        for i, a in enumerate(note.model.activities):
            for j, host in enumerate(a.hosts):
                rows.append({
                    "program_id": note.model.id, "year": a.year, "activity_name": a.name,
                    "lead_platform": a.lead_platform, "host_country_iso3": host, "host_country_name": country_name(host),
                    **_provenance(note, a, a.year, [host]), LINE: note.line("activities", i, "hosts", j),
                })
    return schema_frame("program_activities", rows)


def referenced_countries(notes: Notes) -> list[str]:
    """Every country code that a treaty, program or state-system note names."""
    codes = {m.country for n in notes.treaties for m in n.model.members}
    codes |= {s.country for n in notes.states for s in n.model.states}
    codes |= {p.country for n in notes.programs for p in n.model.participants}
    codes |= {h for n in notes.programs for a in n.model.activities for h in a.hosts}
    return sorted(codes)


def _withdrawal(text: str | None) -> pd.Timestamp | None:
    """ISO 3166-3 gives most withdrawal dates to the day, some only to the year (VDR: 1977)."""
    if not text:
        return None
    return pd.Timestamp(dt.date(int(text), 1, 1) if len(text) == 4 else dt.date.fromisoformat(text))


def countries_table(notes: Notes) -> pd.DataFrame:
    """Countries named in the notes, with ISO status and COW codes (curated overrides first)."""
    codes = referenced_countries(notes)
    overrides = {o.country: (o, note) for note in notes.cow_overrides for o in note.model.overrides if o.from_year is None and o.until_year is None}
    library = library_cow_codes([c for c in codes if c not in overrides])
    region = regions(codes)
    rows = []
    for code in codes:
        status, withdrawn = code_status(code)
        if code in overrides:
            override, note = overrides[code]
            cow = (override.cow_ccode, override.cow_abbrev, note.path)
            line = note.line("overrides", note.model.overrides.index(override))
        else:
            numeric, letters = library[code]
            cow = (numeric, letters, "countrycode" if numeric is not None else None)
            line = 0
        rows.append({
            "country_iso3": code, "name": country_name(code), "code_status": status,
            "code_withdrawn": _withdrawal(withdrawn),
            "cow_ccode": cow[0], "cow_abbrev": cow[1], "region": region[code], "cow_source": cow[2], LINE: line,
        })
    return schema_frame("countries", rows)


def cow_periods(notes: Notes) -> pd.DataFrame:
    """COW overrides that hold only for some years, e.g. West Germany (260) for DEU in 1955-1989."""
    rows = [
        {"country_iso3": o.country, "from_year": o.from_year or 0, "until_year": o.until_year or 9999, "cow_ccode": o.cow_ccode}
        for note in notes.cow_overrides for o in note.model.overrides if o.from_year is not None or o.until_year is not None
    ]
    return pd.DataFrame(rows, columns=["country_iso3", "from_year", "until_year", "cow_ccode"])


def cow_by_year(countries: pd.DataFrame, periods: pd.DataFrame, keys: pd.DataFrame) -> pd.Series:
    """The COW code of each (country_iso3, year) row of `keys`: a period override where one
    covers the year, else the country's code."""
    codes = keys[["country_iso3"]].merge(countries[["country_iso3", "cow_ccode"]], on="country_iso3", how="left")["cow_ccode"]
    codes = pd.Series(codes.to_numpy(), index=keys.index, dtype="Int64")
    for period in periods.itertuples():
        hit = (keys["country_iso3"] == period.country_iso3) & keys["year"].between(period.from_year, period.until_year)
        codes[hit] = period.cow_ccode
    return codes


def peer_decisions_table(notes: Notes) -> pd.DataFrame:
    rows = [
        {"crosswalk": note.model.crosswalk, "peer": note.model.peer, "peer_id": d.peer_id, "decision": d.decision,
         "treaty_id": d.treaty_id, "reason": d.reason, "source_note": note.path, LINE: note.line("decisions", i)}
        for note in notes.decisions for i, d in enumerate(note.model.decisions)
    ]
    return schema_frame("peer_decisions", rows)
