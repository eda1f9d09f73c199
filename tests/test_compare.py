"""`alliances compare` on purpose-built peer files in ATOP's and COW's column layouts.

The fixture treaty (tests/fixtures/raw/treaties/test-pact.yaml) is signed 1950-01-15, in
force 1950-06, with USA and CAN from 1950-06 and France in two spells (1960 to 1970-03-01,
and from 1980-01-01). The peer files below are written by each test; none is a copy of a
peer's rows.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import replace_in
from pipeline.build import validate
from pipeline.compare import compare, to_text
from pipeline.peer_files import PeerFileError, read_peer_file

ALLIANCES = str(Path(sys.executable).parent / "alliances")
ATOP_MEMBER = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "defense", "offense", "neutral", "nonagg", "consul"]
ATOP_ALLIANCE = ["atopid", "begyr", "begmo", "begday", "endyr", "endmo", "endday", "defense", "offense", "neutral", "nonagg", "consul"]
COW_MEMBER = ["version4id", "ccode", "mem_st_year", "mem_st_month", "mem_st_day", "mem_end_year", "mem_end_month", "mem_end_day", "right_censor", "defense", "neutrality", "nonaggression", "entente"]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def tables(small_raw):
    replace_in(small_raw / "treaties/test-pact.yaml", "obligations: [defense]", "obligations: [defense]\natop_id: 9001\ncow_id: 7001")
    return validate(small_raw)[1]


def member_rows(report: dict, peer_id: int) -> dict[str, list[dict]]:
    alliance = next(a for a in report["alliances"] if a["peer_id"] == peer_id)
    found: dict[str, list[dict]] = {}
    for member in alliance["members"]:
        found.setdefault(member["country"], []).append(member)
    return found


def run_compare(tables, path: Path, with_country=None) -> dict:
    return compare(*read_peer_file(path), tables, with_country)


def test_same_dates_match_and_signature_dating_is_explained(tables, tmp_path):
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [
        [9001, 2, 1950, 6, 1, 0, 0, 0, 1, 0, 0, 0, 0],      # USA: same month as here
        [9001, 20, 1950, 1, 15, 0, 0, 0, 1, 0, 0, 0, 0],    # CAN: dated at signature
    ])
    members = member_rows(run_compare(tables, peer), 9001)
    assert members["USA"][0]["status"] == "matched" and members["USA"][0]["differences"] == []
    (entry,) = members["CAN"][0]["differences"]
    assert entry["field"] == "entry" and entry["peer"] == "1950-01-15" and entry["dataset"] == "1950-06"
    assert "signature (1950-01-15)" in entry["explanation"]


def test_members_on_one_side_only_and_differing_obligations(tables, tmp_path):
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [
        [9001, 2, 1950, 6, 1, 0, 0, 0, 1, 0, 0, 1, 1],      # USA: peer adds non-aggression and consultation
        [9001, 200, 1950, 6, 1, 0, 0, 0, 1, 0, 0, 0, 0],    # GBR: not a member here
    ])
    members = member_rows(run_compare(tables, peer), 9001)
    assert {d["field"] for d in members["USA"][0]["differences"]} == {"nonaggression", "consultation"}
    assert members["COW 200"][0]["status"] == "only in peer"
    assert members["CAN"][0]["status"] == "only in dataset"
    assert [m["status"] for m in members["FRA"]] == ["only in dataset", "only in dataset"]


def test_phases_merge_into_one_spell_and_spells_pair_in_order(tables, tmp_path):
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [
        [9001, 2, 1950, 6, 1, 1955, 1, 1, 1, 0, 0, 0, 0],   # USA, phase 1
        [9001, 2, 1955, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0],      # USA, phase 2: continues
        [9001, 220, 1960, 0, 0, 1970, 3, 1, 1, 0, 0, 0, 0],  # FRA, first spell, year only
        [9001, 220, 1980, 1, 1, 1990, 5, 5, 1, 0, 0, 0, 0],  # FRA, second spell: peer ends it
    ])
    members = member_rows(run_compare(tables, peer), 9001)
    assert len(members["USA"]) == 1 and members["USA"][0]["differences"] == []
    first, second = members["FRA"]
    assert first["differences"] == []
    (exit_,) = second["differences"]
    assert exit_["field"] == "exit" and exit_["peer"] == "1990-05-05" and exit_["dataset"] is None


def test_unknown_peer_alliances_and_the_country_filter(tables, tmp_path):
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [
        [9001, 2, 1950, 6, 1, 0, 0, 0, 1, 0, 0, 0, 0],
        [9002, 20, 1960, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0],     # an alliance this dataset lacks, without the USA
        [9003, 2, 1970, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1],      # one it lacks, with the USA
    ])
    everything = run_compare(tables, peer)
    assert [(a["peer_id"], a["status"]) for a in everything["alliances"]] == [(9001, "matched"), (9002, "not in dataset"), (9003, "not in dataset")]
    with_usa = run_compare(tables, peer, "USA")
    assert [a["peer_id"] for a in with_usa["alliances"]] == [9001, 9003]
    assert with_usa["summary"]["matched"] == 1 and with_usa["summary"]["not_in_dataset"] == 1
    assert "9003  -  not in dataset" in to_text(with_usa)


def test_treaty_with_an_id_the_peer_lacks_is_listed(tables, tmp_path):
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [[9002, 2, 1960, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]])
    assert run_compare(tables, peer)["treaties_not_in_peer"] == ["test-pact"]


def test_alliance_level_file_compares_treaty_dates_and_obligations(tables, tmp_path):
    peer = write_csv(tmp_path / "a.csv", ATOP_ALLIANCE, [[9001, 1950, 1, 15, 0, 0, 0, 1, 0, 0, 1, 0]])
    (alliance,) = run_compare(tables, peer)["alliances"]
    assert alliance["treaty_id"] == "test-pact"
    assert {d["field"] for d in alliance["differences"]} == {"entry", "nonaggression"}
    with pytest.raises(ValueError, match="member-level"):
        run_compare(tables, peer, "USA")


def test_cow_layout_matches_on_cow_id_and_does_not_compare_offense(tables, tmp_path):
    peer = write_csv(tmp_path / "c.csv", COW_MEMBER, [[7001, 20, 1950, 6, -9, 2012, 12, 31, 1, 1, 0, 0, 1]])
    members = member_rows(run_compare(tables, peer), 7001)
    (difference,) = members["CAN"][0]["differences"]
    assert difference["field"] == "consultation"  # COW's entente; its right-censored end is "in effect"


def test_a_file_of_no_known_layout_names_the_columns_it_needs(tmp_path):
    peer = write_csv(tmp_path / "x.csv", ["id", "country", "start"], [[1, 2, 1950]])
    with pytest.raises(PeerFileError, match=r"x\.csv: not a known peer layout.*atopid, member, yrent"):
        read_peer_file(peer)


def test_command_prints_and_writes_json_and_publishes_nothing(tables, small_raw, tmp_path):
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [[9001, 20, 1950, 1, 15, 0, 0, 0, 1, 0, 0, 0, 0]])
    out = tmp_path / "report.json"
    done = subprocess.run([ALLIANCES, "compare", str(peer), "--raw", str(small_raw), "--with", "CAN", "--json", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1 alliances with CAN; 1 matched" in done.stdout
    assert "CAN: entry: peer 1950-01-15, here 1950-06" in done.stdout
    report = json.loads(out.read_text())
    assert report["peer_file"] == str(peer) and report["summary"]["entry_dates_explained_by_signature"] == 1
    bad = subprocess.run([ALLIANCES, "compare", str(peer), "--raw", str(small_raw), "--with", "ZZZ"], capture_output=True, text=True)
    assert bad.returncode == 1 and "'ZZZ' is not a country of the dataset" in bad.stderr
