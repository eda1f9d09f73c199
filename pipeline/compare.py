"""Comparing the dataset with a peer's file: which of the peer's alliances and member spells
the dataset has, and each date or obligation that differs, with the date convention that
explains it.

The comparison reads the dataset's `treaties`, `memberships` and `country_year` tables and
the peer rows of `pipeline.peer_files`; it returns plain dicts for printing or JSON and
writes nothing into a release.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from pipeline.note_models import PartialDate
from pipeline.peer_files import Layout, PeerRow

_MERGE_GAP = dt.timedelta(days=31)  # peer phases this close together are one spell


@dataclass
class _Spell:
    """One country's time in one alliance, from either side."""

    start: PartialDate | None
    end: PartialDate | None  # None: still in effect
    obligations: dict[str, bool]
    where: str  # the peer file's lines, or this dataset's membership id


def compare(layout: Layout, rows: list[PeerRow], tables: dict[str, pd.DataFrame], with_country: str | None = None) -> dict:
    """Every peer alliance (those with `with_country` as a member, when given) against the dataset."""
    codes = _CountryCodes(tables)
    by_alliance: dict[int, list[PeerRow]] = defaultdict(list)
    for row in rows:
        by_alliance[row.peer_id].append(row)
    if with_country:
        if layout.member is None:
            raise ValueError("--with needs a member-level peer file: an alliance-level file does not list members")
        wanted = codes.codes_of(with_country)
        by_alliance = {pid: rs for pid, rs in by_alliance.items() if any(r.ccode in wanted for r in rs)}
    treaties = tables["treaties"].dropna(subset=[layout.crosswalk])
    ours = {int(t[layout.crosswalk]): t for t in treaties.to_dict("records")}
    decided = _decisions(tables, layout.crosswalk)
    alliances = [_alliance(layout, pid, by_alliance[pid], ours.get(pid), tables, codes) | decided.get(pid, {}) for pid in sorted(by_alliance)]
    only_here = sorted(t["treaty_id"] for pid, t in ours.items() if pid not in by_alliance and _involves(t, with_country, tables))
    pacts = _defence_pacts_since(1945, by_alliance, alliances)
    return {"layout": layout.name, "with": with_country, "summary": _summary(alliances, only_here), "defence_pacts_since_1945": pacts,
            "alliances": alliances, "treaties_not_in_peer": only_here}


def _decisions(tables: dict[str, pd.DataFrame], crosswalk: str) -> dict[int, dict]:
    """What the dataset decided about peer alliances no treaty carries (none in releases before the table existed)."""
    rows = tables.get("peer_decisions")
    if rows is None:
        return {}
    rows = rows[rows["crosswalk"] == crosswalk]
    return {int(r["peer_id"]): {"decision": r["decision"], "reason": r["reason"]} for r in rows.to_dict("records")}


def _defence_pacts_since(year: int, by_alliance: dict[int, list[PeerRow]], alliances: list[dict]) -> dict:
    """The peer's alliances begun in or after `year` with a defence or offence obligation:
    how many a treaty here represents, how many were decided otherwise, and which are neither."""
    status = {a["peer_id"]: a for a in alliances}
    pacts = [pid for pid, rows in by_alliance.items()
             if any(r.obligations.get("defense") or r.obligations.get("offense") for r in rows)
             and min((r.start.value.year for r in rows if r.start), default=0) >= year]
    in_effect = [pid for pid in pacts if any(r.end is None for r in by_alliance[pid])]
    represented = [pid for pid in pacts if status[pid]["status"] == "matched"]
    decided = [pid for pid in pacts if status[pid]["status"] != "matched" and "decision" in status[pid]]
    return {
        "pacts": len(pacts), "represented": len(represented), "decided": len(decided),
        "in_effect_at_peer_end": len(in_effect), "in_effect_represented": len(set(in_effect) & set(represented)),
        "unaccounted": sorted(set(pacts) - set(represented) - set(decided)),
    }


def _involves(treaty: dict, country: str | None, tables: dict[str, pd.DataFrame]) -> bool:
    members = tables["memberships"]
    return country is None or bool(((members["treaty_id"] == treaty["treaty_id"]) & (members["country_iso3"] == country)).any())


class _CountryCodes:
    """COW codes to the dataset's countries and back, by year: COW gives one code to states
    the dataset keeps apart (365: the Soviet Union, then Russia; 345: Yugoslavia, then Serbia)."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        in_treaties = tables["country_year"][tables["country_year"]["treaty_count"] > 0]
        years = in_treaties[["country_iso3", "year", "cow_ccode"]].dropna()
        self._by_year = {(int(code), int(year)): iso3 for iso3, year, code in zip(years["country_iso3"], years["year"], years["cow_ccode"])}
        spells = tables["memberships"][["country_iso3", "cow_ccode"]].dropna()
        pairs = pd.concat([spells, years[["country_iso3", "cow_ccode"]]]).drop_duplicates()
        self._any = {int(code): iso3 for iso3, code in zip(pairs["country_iso3"], pairs["cow_ccode"])}
        self._codes: dict[str, set[int]] = defaultdict(set)
        for iso3, code in zip(pairs["country_iso3"], pairs["cow_ccode"]):
            self._codes[iso3].add(int(code))

    def country(self, ccode: int | None, year: int | None = None) -> str:
        return self._by_year.get((ccode, year)) or self._any.get(ccode, f"COW {ccode}")

    def codes_of(self, iso3: str) -> set[int]:
        if iso3 not in self._codes:
            raise ValueError(f"{iso3!r} is not a country of the dataset (expected an ISO 3166 alpha-3 code such as USA)")
        return self._codes[iso3]


def _alliance(layout: Layout, peer_id: int, rows: list[PeerRow], treaty: dict | None, tables: dict[str, pd.DataFrame], codes: _CountryCodes) -> dict:
    found = {"peer_id": peer_id, "peer_lines": [r.line for r in rows], "treaty_id": treaty["treaty_id"] if treaty else None}
    if layout.member is None:
        return found | {"status": "matched" if treaty else "not in dataset", "differences": _treaty_differences(layout, rows[0], treaty) if treaty else []}
    peer_spells = _peer_spells(rows, codes)
    if treaty is None:
        return found | {"status": "not in dataset", "members": [{"country": c, "status": "only in peer"} for c in sorted(peer_spells)]}
    our_spells = _our_spells(tables["memberships"], treaty["treaty_id"])
    members = []
    for country in sorted(set(peer_spells) | set(our_spells)):
        theirs, mine = peer_spells.get(country, []), our_spells.get(country, [])
        for index in range(max(len(theirs), len(mine))):
            members.append(_member(layout, country, theirs[index] if index < len(theirs) else None, mine[index] if index < len(mine) else None, treaty))
    return found | {"status": "matched", "members": members}


def _peer_spells(rows: list[PeerRow], codes: _CountryCodes) -> dict[str, list[_Spell]]:
    """Rows per country, phases (and a state's successive codes, as Germany's 260 and 255)
    merged into spells."""
    spells: dict[str, list[_Spell]] = defaultdict(list)
    def country(row: PeerRow) -> str:
        return codes.country(row.ccode, row.start.value.year if row.start else None)

    for row in sorted(rows, key=lambda r: (country(r), r.start.value if r.start else dt.date.min)):
        country_of_row = country(row)
        spell = _Spell(row.start, row.end, dict(row.obligations), f"line {row.line}")
        previous = spells[country_of_row][-1] if spells[country_of_row] else None
        if previous and _continues(previous, spell):
            previous.end = None if previous.end is None or spell.end is None else max(previous.end, spell.end, key=lambda d: d.value)
            previous.obligations = {k: v or spell.obligations[k] for k, v in previous.obligations.items()}
            previous.where += f", {row.line}"
        else:
            spells[country_of_row].append(spell)
    return spells


def _continues(previous: _Spell, spell: _Spell) -> bool:
    return previous.end is None or spell.start is None or spell.start.value <= previous.end.value + _MERGE_GAP


def _our_spells(memberships: pd.DataFrame, treaty_id: str) -> dict[str, list[_Spell]]:
    spells: dict[str, list[_Spell]] = defaultdict(list)
    rows = memberships[memberships["treaty_id"] == treaty_id].sort_values(["country_iso3", "joined"])
    for m in rows.to_dict("records"):
        obligations = {k: bool(m[k]) for k in ("defense", "offense", "neutrality", "nonaggression", "consultation")}
        spells[m["country_iso3"]].append(_Spell(_dated(m, "joined"), _dated(m, "left"), obligations, f"{treaty_id}/{m['country_iso3']}/{m['spell']}"))
    return spells


def _member(layout: Layout, country: str, theirs: _Spell | None, mine: _Spell | None, treaty: dict) -> dict:
    found = {"country": country, "peer": theirs.where if theirs else None, "membership": mine.where if mine else None}
    if theirs is None:
        return found | {"status": "only in dataset"}
    if mine is None:
        return found | {"status": "only in peer"}
    differences = [d for d in (_entry(layout, theirs.start, mine.start, treaty), _exit(layout, theirs.end, mine.end)) if d]
    differences += [{"field": k, "peer": theirs.obligations[k], "dataset": mine.obligations[k]} for k in theirs.obligations if theirs.obligations[k] != mine.obligations[k]]
    return found | {"status": "matched", "differences": differences}


def _treaty_differences(layout: Layout, row: PeerRow, treaty: dict) -> list[dict]:
    start = _dated(treaty, "in_force") or _dated(treaty, "signed")
    differences = [d for d in (_entry(layout, row.start, start, treaty), _exit(layout, row.end, _dated(treaty, "ended"))) if d]
    return differences + [{"field": k, "peer": v, "dataset": bool(treaty[k])} for k, v in row.obligations.items() if v != bool(treaty[k])]


def _dated(record: dict, column: str) -> PartialDate | None:
    value = record.get(column)
    return None if value is None or pd.isna(value) else PartialDate(value.date(), record[f"{column}_precision"])


def _entry(layout: Layout, peer: PartialDate | None, ours: PartialDate | None, treaty: dict) -> dict | None:
    if peer is None or ours is None or _same(peer, ours):
        return None
    days = (ours.value - peer.value).days
    signed = _dated(treaty, "signed")
    if signed and _same(peer, signed):
        why = f"the peer dates entry at the treaty's signature ({signed}); this dataset dates it when the member became bound"
    elif days > 0:
        why = f"the peer's date is {days} days earlier: the peer dates a member's entry at {layout.dates_at}, this dataset at entry into force or deposit"
    else:
        why = f"the peer's date is {-days} days later; no date convention explains it"
    return {"field": "entry", "peer": str(peer), "dataset": str(ours), "explanation": why}


def _exit(layout: Layout, peer: PartialDate | None, ours: PartialDate | None) -> dict | None:
    if peer is None and ours is None or peer and ours and _same(peer, ours):
        return None
    if peer is None:
        if ours.value.year > layout.coverage_ends:
            return None  # ended after the peer's coverage: both agree on what the peer covers
        why = f"this dataset ends the spell; the peer has it in effect at the end of its coverage ({layout.coverage_ends})"
    elif ours is None:
        why = "the peer ends the spell; this dataset has it in force"
    else:
        why = f"the end dates differ by {abs((ours.value - peer.value).days)} days"
    return {"field": "exit", "peer": str(peer) if peer else None, "dataset": str(ours) if ours else None, "explanation": why}


def _same(a: PartialDate, b: PartialDate) -> bool:
    """Equal at the coarser of the two precisions."""
    coarser = max(a.precision, b.precision, key=("day", "month", "year").index)
    width = {"day": 3, "month": 2, "year": 1}[coarser]
    return a.value.timetuple()[:width] == b.value.timetuple()[:width]



def _summary(alliances: list[dict], only_here: list[str]) -> dict:
    members = [m for a in alliances for m in a.get("members", []) if a["status"] == "matched"]
    differing = [d for m in members for d in m.get("differences", [])]
    return {
        "peer_alliances": len(alliances),
        "matched": sum(a["status"] == "matched" for a in alliances),
        "not_in_dataset": sum(a["status"] != "matched" for a in alliances),
        "treaties_not_in_peer": len(only_here),
        "member_spells_matched": sum(m["status"] == "matched" for m in members),
        "member_spells_only_in_peer": sum(m["status"] == "only in peer" for m in members),
        "member_spells_only_in_dataset": sum(m["status"] == "only in dataset" for m in members),
        "entry_dates_differing": sum(d["field"] == "entry" for d in differing),
        "entry_dates_explained_by_signature": sum(d["field"] == "entry" and "signature" in d["explanation"] for d in differing),
        "exit_dates_differing": sum(d["field"] == "exit" for d in differing),
        "obligations_differing": sum(d["field"] not in ("entry", "exit") for d in differing),
    }


def to_text(report: dict) -> str:
    """The report for people: a summary, then each alliance and what differs."""
    s = report["summary"]
    scope = f" with {report['with']}" if report["with"] else ""
    lines = [
        f"{report['layout']}: {s['peer_alliances']} alliances{scope}; {s['matched']} matched to a treaty here, {s['not_in_dataset']} not in this dataset; {s['treaties_not_in_peer']} treaties here carry an id the peer file lacks",
        f"member spells: {s['member_spells_matched']} matched, {s['member_spells_only_in_peer']} only in the peer, {s['member_spells_only_in_dataset']} only here; "
        f"entry dates differing {s['entry_dates_differing']} ({s['entry_dates_explained_by_signature']} explained by the peer's signature dating), exit dates differing {s['exit_dates_differing']}, obligations differing {s['obligations_differing']}",
        "",
    ]
    p = report["defence_pacts_since_1945"]
    lines[2:2] = [
        f"defence or offence pacts begun since 1945: {p['pacts']}; {p['represented']} represented, {p['decided']} decided otherwise (peer_decisions), "
        f"{len(p['unaccounted'])} neither; in effect at the peer's end: {p['in_effect_at_peer_end']}, {p['in_effect_represented']} represented",
    ] + ([f"neither represented nor decided: {', '.join(map(str, p['unaccounted']))}"] if p["unaccounted"] else [])
    for a in report["alliances"]:
        decision = f"  (decided: {a['decision']}: {a['reason']})" if "decision" in a else ""
        lines.append(f"{a['peer_id']}  {a['treaty_id'] or '-'}  {a['status']}{decision}")
        for d in a.get("differences", []):
            lines.append("    " + _difference(d))
        for m in a.get("members", []):
            if a["status"] != "matched":
                continue
            if m["status"] != "matched":
                lines.append(f"    {m['country']}: {m['status']}")
            for d in m.get("differences", []):
                lines.append(f"    {m['country']}: " + _difference(d))
    if report["treaties_not_in_peer"]:
        lines.append("treaties whose id the peer file lacks: " + ", ".join(report["treaties_not_in_peer"]))
    return "\n".join(lines) + "\n"


def _difference(d: dict) -> str:
    text = f"{d['field']}: peer {d['peer']}, here {d['dataset']}"
    return text + (f" ({d['explanation']})" if d.get("explanation") else "")
