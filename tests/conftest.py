import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
PROJECT = TESTS.parent


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory):
    """One Dagster instance per test process for the runs the tests start, outside the
    project's .dagster/; a test that needs a fresh one sets DAGSTER_HOME itself."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("dagster-home")
        patch.setenv("DAGSTER_HOME", str(home))
        yield home


@pytest.fixture
def small_raw(tmp_path: Path) -> Path:
    """A writable copy of the purpose-built notes in tests/fixtures/raw."""
    return Path(shutil.copytree(TESTS / "fixtures" / "raw", tmp_path / "raw"))


@pytest.fixture(scope="module")
def fixture_release(tmp_path_factory) -> Path:
    """The folder of a release built from tests/fixtures/raw, shared by a module's tests (read only)."""
    from pipeline.build import build

    root = tmp_path_factory.mktemp("fixture-release")
    raw = shutil.copytree(TESTS / "fixtures" / "raw", root / "raw")
    return build(raw, root / "outputs").path


@pytest.fixture
def project_raw(tmp_path: Path) -> Path:
    """A writable copy of the project's real notes."""
    return Path(shutil.copytree(PROJECT / "raw", tmp_path / "project_raw"))


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a note in place, failing loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def assert_edit_refused(raw: Path, edit: tuple[str, str, str], expected: str) -> None:
    """Apply one (note, old, new) edit to a notes folder and check reading it gives the expected problem."""
    from pipeline.notes import NotesInvalid, read_notes

    path, old, new = edit
    replace_in(raw / path, old, new)
    with pytest.raises(NotesInvalid) as caught:
        read_notes(raw)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
