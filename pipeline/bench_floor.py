"""The floor for the benchmark: the same tables from the same notes with nothing but YAML,
pandas and pyarrow (plus the code lists every version needs). No Dagster, no pandera, no
note models, no release. `python -m pipeline.bench_floor RAW OUT`."""

import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from pipeline import panels
from pipeline.countries import country_name, library_cow_codes
from schemas.codes import OBLIGATION_TYPES

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(folder: Path) -> list[dict]:
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=_LOADER) for p in sorted(folder.glob("*.yaml"))]


def _day(value) -> pd.Timestamp:
    if value is None or pd.isna(value):
        return pd.NaT
    return pd.Timestamp(str(value) if len(str(value)) > 4 else f"{value}-01-01")


def _precision(value) -> str | None:
    if value is None or pd.isna(value):
        return None
    return {4: "year", 7: "month"}.get(len(str(value)), "day")


def tables(raw: Path) -> dict[str, pd.DataFrame]:
    treaties, programs = _read(raw / "treaties"), _read(raw / "programs")
    members = pd.DataFrame([
        {**m, "treaty_id": t["id"], "obligations_toward": None, **{k: k in (m.get("obligations") or t["obligations"]) for k in OBLIGATION_TYPES}}
        for t in treaties for m in t["members"]
    ])
    for column in ("joined", "left"):
        written = members.get(column, pd.Series(dtype=object))
        members[f"{column}_precision"] = written.map(_precision)
        members[column] = written.map(_day)
    treaty_rows = pd.DataFrame([
        {k: t.get(k) for k in ("id", "name", "short_name", "kind")} | {"ended": _day(t.get("ended")), "ended_precision": _precision(t.get("ended")), "known_in_force_until": _day(t.get("known_in_force_until"))}
        for t in treaties
    ]).rename(columns={"id": "treaty_id"})
    participants = pd.DataFrame([{**p, "program_id": g["id"]} for g in programs for p in g.get("participants", [])])
    activities = pd.DataFrame([{"program_id": g["id"], "year": a["year"], "name": a["name"], "host_country_iso3": h} for g in programs for a in g.get("activities", []) for h in a["hosts"]])
    codes = sorted(set(members["country"]) | set(participants.get("country", [])) | set(activities.get("host_country_iso3", [])))
    cow = library_cow_codes(codes)
    countries = pd.DataFrame({"country_iso3": codes, "name": [country_name(c) for c in codes], "cow_ccode": pd.array([cow[c][0] for c in codes], dtype="Int64")})
    members = members.rename(columns={"country": "country_iso3"})
    participants = participants.rename(columns={"country": "country_iso3"})
    participants["end_year"] = participants.get("end_year", pd.Series(pd.NA, index=participants.index)).astype("Int64")
    suspensions = pd.DataFrame(columns=["treaty_id", "suspended_by", "suspended_toward", "started", "ended"])
    periods = pd.DataFrame(columns=["country_iso3", "from_year", "until_year", "cow_ccode"])
    year = pd.Timestamp.today().year
    dyads = panels.dyad_year(members, treaty_rows, suspensions, countries, periods, year)
    country_years = panels.country_year(members, treaty_rows, dyads, participants, activities, countries, periods, year)
    return {"countries": countries, "treaties": treaty_rows, "memberships": members, "programs": pd.DataFrame(programs).drop(columns=["participants", "activities", "sources"], errors="ignore"),
            "program_participants": participants, "program_activities": activities, "country_year": country_years, "dyad_year": dyads}


def main(raw: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables(raw).items():
        df = df.astype({c: "string" for c in df.columns if df[c].dtype == object})
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), out / f"{name}.parquet")
        df.to_csv(out / f"{name}.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
