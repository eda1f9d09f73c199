"""Decisions on a peer's alliances: published as a table, refused when they contradict the
treaties, and shown by `alliances compare`. On the fixture notes (tests/fixtures/raw)."""

import pytest

from conftest import assert_edit_refused, replace_in
from pipeline.build import validate
from pipeline.compare import compare, to_text
from pipeline.peer_files import read_peer_file
from test_compare import ATOP_MEMBER, write_csv

NOTE = "decisions/test-peer.yaml"


def test_decisions_become_a_table_with_their_note(small_raw):
    decisions = validate(small_raw)[1]["peer_decisions"]
    assert decisions[["peer_id", "decision", "treaty_id"]].astype(object).where(decisions.notna(), None).values.tolist() == [
        [9100, "not_an_alliance", None], [9101, "part_of_treaty", "test-pact"]]
    assert set(decisions["source_note"]) == {"raw/decisions/test-peer.yaml"} and set(decisions["peer"]) == {"Test Peer 1.0"}


CASES = {
    "id carried by a treaty": (("treaties/test-pact.yaml", "obligations: [defense]", "obligations: [defense]\natop_id: 9100"),
                               "raw/decisions/test-peer.yaml:6: decisions.0.peer_id: 9100 is the atop_id of raw/treaties/test-pact.yaml"),
    "decided twice": ((NOTE, "peer_id: 9101", "peer_id: 9100"), "raw/decisions/test-peer.yaml:9: decisions.1.peer_id: 9100 is already decided"),
    "part of no treaty": ((NOTE, "    treaty_id: test-pact\n", ""), "raw/decisions/test-peer.yaml:10: decisions.1.decision: part_of_treaty needs treaty_id"),
    "treaty that does not exist": ((NOTE, "treaty_id: test-pact", "treaty_id: test-pakt"), "raw/decisions/test-peer.yaml:11: decisions.1.treaty_id: no treaty note has id 'test-pakt'"),
    "treaty on another decision": ((NOTE, "    decision: not_an_alliance\n", "    decision: not_an_alliance\n    treaty_id: test-pact\n"),
                                   "raw/decisions/test-peer.yaml:8: decisions.0.treaty_id: treaty_id is only for part_of_treaty"),
    "unknown decision": ((NOTE, "decision: not_an_alliance", "decision: skipped"), "raw/decisions/test-peer.yaml:7: decisions.0.decision:"),
    "no reason": ((NOTE, "    reason: A trade agreement with no military obligation.\n", ""), "raw/decisions/test-peer.yaml:6: decisions.0.reason:"),
    "unknown crosswalk": ((NOTE, "crosswalk: atop_id", "crosswalk: atop"), "raw/decisions/test-peer.yaml:2: crosswalk:"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_decision_that_contradicts_the_notes_is_refused(small_raw, case):
    edit, expected = CASES[case]
    assert_edit_refused(small_raw, edit, expected)


def test_compare_counts_defence_pacts_as_represented_decided_or_neither(small_raw, tmp_path):
    replace_in(small_raw / "treaties/test-pact.yaml", "obligations: [defense]", "obligations: [defense]\natop_id: 9001")
    tables = validate(small_raw)[1]
    peer = write_csv(tmp_path / "m.csv", ATOP_MEMBER, [
        [9001, 2, 1950, 6, 1, 0, 0, 0, 1, 0, 0, 0, 0],       # represented, still in effect
        [9100, 2, 1960, 1, 1, 1965, 1, 1, 0, 0, 0, 0, 1],    # decided, but consultation only: not a pact
        [9101, 20, 1960, 1, 1, 1970, 1, 1, 1, 0, 0, 0, 0],   # a pact, decided: part of the test pact
        [9102, 20, 1946, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0],      # an offence pact, neither, in effect
        [9103, 20, 1944, 1, 1, 1950, 1, 1, 1, 0, 0, 0, 0],   # begun before 1945
    ])
    report = compare(*read_peer_file(peer), tables)
    assert report["defence_pacts_since_1945"] == {"pacts": 3, "represented": 1, "decided": 1, "in_effect_at_peer_end": 2, "in_effect_represented": 1, "unaccounted": [9102]}
    text = to_text(report)
    assert "defence or offence pacts begun since 1945: 3; 1 represented, 1 decided otherwise (peer_decisions), 1 neither" in text
    assert "neither represented nor decided: 9102" in text
    assert "9101  -  not in dataset  (decided: part_of_treaty: The peer codes the Test Pact's 1960 protocol apart.)" in text
