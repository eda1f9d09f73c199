"""The corpus of broken notes in tests/broken_notes/: each file's first line says the
problem it must produce, as `# expect: path:line: field: message`. Every case must be
refused by `validate` and `build` with that message, and publish nothing."""

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TESTS
from pipeline.cli import main
from pipeline.notes import MAX_NOTE_BYTES

CORPUS = TESTS / "broken_notes"
CASES = sorted(CORPUS.glob("*/*.yaml"))


def expectation(case: Path) -> str:
    first = case.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect: "), case
    return first.removeprefix("# expect: ")


def place(case: Path, raw: Path) -> None:
    """Copy a case into a notes folder, inflating the huge-file case past the size limit."""
    target = raw / case.parent.name / case.name
    shutil.copyfile(case, target)
    if case.stem == "huge-file":
        with open(target, "a") as f:
            f.write(("# padding\n" * (MAX_NOTE_BYTES // 10 + 10)))


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.fixture(scope="module")
def earlier_release(tmp_path_factory):
    """Outputs holding one release built from the good fixture notes."""
    root = tmp_path_factory.mktemp("earlier")
    shutil.copytree(TESTS / "fixtures" / "raw", root / "raw")
    result = CliRunner().invoke(main, ["build", "--raw", str(root / "raw"), "--outputs", str(root / "outputs")])
    assert result.exit_code == 0, result.output
    return root / "outputs"


def test_the_corpus_is_large_and_distinct():
    assert len(CASES) >= 30
    assert len({expectation(c) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.stem}")
def test_case_is_refused_with_its_message(case, small_raw, earlier_release, tmp_path):
    place(case, small_raw)
    outputs = Path(shutil.copytree(earlier_release, tmp_path / "outputs"))
    before = digest(outputs)
    runner = CliRunner()

    validated = runner.invoke(main, ["validate", "--raw", str(small_raw)])
    assert validated.exit_code == 1
    assert expectation(case) in validated.output, validated.output

    built = runner.invoke(main, ["build", "--raw", str(small_raw), "--outputs", str(outputs)])
    assert built.exit_code == 1
    assert expectation(case) in built.output, built.output
    assert "nothing was published" in built.output
    assert digest(outputs) == before
    assert not Path("/tmp/alliances-pwned").exists()


def test_several_broken_notes_give_all_their_errors_in_one_run(small_raw):
    note_cases = [c for c in CASES if c.parent.name != "claims"]
    for case in note_cases:
        place(case, small_raw)
    result = CliRunner().invoke(main, ["validate", "--raw", str(small_raw)])
    assert result.exit_code == 1
    missing = [expectation(c) for c in note_cases if expectation(c) not in result.output]
    assert missing == []


def test_every_case_is_in_the_curators_table():
    """raw/README.md lists each mistake and its message, so curators can look them up."""
    from conftest import PROJECT

    table = (PROJECT / "raw" / "README.md").read_text()
    for case in CASES:
        message = expectation(case).split(": ", 2)[2]
        assert f"`{case.stem}`" in table, case.stem
        assert message.split(" (")[0].split("'")[0][:30] in table, (case.stem, message)
