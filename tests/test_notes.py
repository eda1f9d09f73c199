"""The note reader on good notes and on notes broken in one way each."""

from pathlib import Path

import pytest

from conftest import replace_in
from pipeline.notes import NotesInvalid, read_notes

TREATY = "treaties/test-pact.yaml"


def problems_of(raw: Path) -> list[str]:
    with pytest.raises(NotesInvalid) as caught:
        read_notes(raw)
    return [str(p) for p in caught.value.problems]


def test_good_notes_read_with_partial_dates_and_names(small_raw):
    notes = read_notes(small_raw)
    pact = notes.treaties[0].model
    assert pact.in_force.precision == "month" and pact.in_force.value.isoformat() == "1950-06-01"
    assert [m.country for m in pact.members] == ["USA", "CAN", "FRA", "FRA"]  # "France" resolved by name
    assert pact.members[2].joined.precision == "year"
    assert notes.programs[0].model.participants[1].end_year == 2000


def test_line_numbers_point_at_the_field(small_raw):
    replace_in(small_raw / TREATY, "joined: 1980-01-01", "joined: 1980-13-01")
    [problem] = problems_of(small_raw)
    line = next(i for i, text in enumerate((small_raw / TREATY).read_text().splitlines(), 1) if "1980-13-01" in text)
    assert problem.startswith(f"raw/{TREATY}:{line}: members.3.joined: ")
    assert "not a real date" in problem


def test_every_problem_in_every_file_is_reported_at_once(small_raw):
    replace_in(small_raw / TREATY, "role: original", "role: founder")
    replace_in(small_raw / TREATY, "obligations: [defense]", "obligatons: [defense]")
    replace_in(small_raw / "programs/test-program.yaml", "start_year: 1993\n    end_year", "end_year")
    found = problems_of(small_raw)
    assert any("members.0.role" in p and "founder" in p for p in found)
    assert any("obligatons: unknown field (did you mean 'obligations'?)" in p for p in found)
    assert any("obligations: required field is missing" in p for p in found)
    assert any("programs/test-program.yaml" in p and "participants.1.start_year: required field is missing" in p for p in found)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("country: CAN", "country: Narnia", "unknown country 'Narnia'"),
        ("country: CAN", "country: Korea", "matches several countries"),
        ("left: 1970-03-01", "left: 1959-03-01", "left (1959-03-01) is before joined (1960-01-01)"),
        ("joined: 1980-01-01", "joined: 1965-01-01", "overlaps its spell from 1960-01-01"),
        ("joined: 1980-01-01", "joined: 2999-01-01", "2999-01-01 is in the future"),
        ("url: https://example.org/test-pact", "url: ftp://example.org/test-pact", "is not an http(s) URL"),
        ("    source: text\n  - country: CAN", "    source: txt\n  - country: CAN", "source 'txt' is not among this note's sources"),
        ("id: test-pact", "id: other-pact", "must equal the file name 'test-pact'"),
        ("signed: 1950-01-15", "signed: 1951-01-15", "in_force (1950-06-01) is before signed (1951-01-15)"),
        ("name: Test Pact of Mutual Defence", "name: [Test, Pact]", "name: Input should be a valid string"),
    ],
)
def test_each_mistake_gets_its_message(small_raw, old, new, expected):
    replace_in(small_raw / TREATY, old, new)
    found = problems_of(small_raw)
    assert any(expected in p for p in found), found
    assert all(p.startswith(f"raw/{TREATY}:") for p in found)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", ":1: file: file is empty"),
        (b"id: [unclosed\n", "YAML syntax error"),
        (b"id: \xff\xfe\n", "not UTF-8 text"),
        (b"id: !!python/object/apply:os.system ['true']\n", "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"),
        (b"a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        (b"- just\n- a list\n", "a note must be a mapping"),
        (b"id: a\nid: b\n", "'id' appears twice"),
    ],
)
def test_files_that_are_not_notes_are_refused(small_raw, content, expected):
    (small_raw / TREATY).write_bytes(content)
    found = problems_of(small_raw)
    assert any(p.startswith(f"raw/{TREATY}:") and expected in p for p in found), found


def test_duplicate_ids_across_notes(small_raw):
    text = (small_raw / "programs/test-program.yaml").read_text().replace("id: test-program", "id: test-pact")
    (small_raw / "programs/test-pact.yaml").write_text(text)
    found = problems_of(small_raw)
    assert any("raw/programs/test-pact.yaml" in p and "already used by raw/treaties/test-pact.yaml" in p for p in found)


def test_the_project_notes_are_valid():
    from conftest import PROJECT

    notes = read_notes(PROJECT / "raw")  # raises with every problem; what the notes say is theirs to change
    assert notes.treaties and notes.programs
