"""Notes parsed by an earlier build are reused only while their bytes and the code are the same."""

import pytest

from conftest import replace_in
from pipeline import notes as notes_module
from pipeline.note_cache import NoteCache
from pipeline.notes import NotesInvalid, read_notes


@pytest.fixture
def parsed(monkeypatch):
    """The notes read_note actually parsed, by shown path."""
    seen = []
    real = notes_module.read_note
    monkeypatch.setattr(notes_module, "read_note", lambda path, model, shown: seen.append(shown) or real(path, model, shown))
    return seen


def _read(raw, cache, code):
    """Read the notes as a build does, saving the cache as a build that succeeded does."""
    notes = read_notes(raw, NoteCache(cache, code))
    notes.cache.save()
    return notes


def test_only_changed_notes_are_parsed_again(small_raw, tmp_path, parsed):
    cache = tmp_path / "cache"
    unsaved = read_notes(small_raw, NoteCache(cache, "code-1"))
    assert not cache.exists() and unsaved.cache.pending  # nothing written before the build succeeds
    parsed.clear()
    first = _read(small_raw, cache, "code-1")
    everything = list(parsed)
    assert "raw/treaties/test-pact.yaml" in everything and len(list(cache.glob("*.pickle"))) == len(everything)
    parsed.clear()
    again = _read(small_raw, cache, "code-1")
    assert parsed == [] and [n.model for n in again.treaties] == [n.model for n in first.treaties]
    replace_in(small_raw / "treaties" / "test-pact.yaml", "left: 1970-03-01", "left: 1970-03-02")
    changed = _read(small_raw, cache, "code-1")
    assert parsed == ["raw/treaties/test-pact.yaml"] and len(list(cache.glob("*.pickle"))) == len(everything)  # the old entry pruned
    assert "1970-03-02" in [str(m.left.value) for n in changed.treaties for m in n.model.members if m.left]
    parsed.clear()
    _read(small_raw, cache, "code-2")  # other code: parse everything
    assert sorted(parsed) == sorted(everything)


def test_a_damaged_entry_is_parsed_again_and_a_bad_note_is_never_kept(small_raw, tmp_path, parsed):
    cache = tmp_path / "cache"
    _read(small_raw, cache, "code")
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:10])  # cut short
    parsed.clear()
    _read(small_raw, cache, "code")
    assert len(parsed) == len(list(cache.glob("*.pickle")))
    replace_in(small_raw / "treaties" / "test-pact.yaml", "joined: 1980-01-01", "joined: 1980-13-01")
    for _ in range(2):
        parsed.clear()
        with pytest.raises(NotesInvalid, match="test-pact.yaml"):
            read_notes(small_raw, NoteCache(cache, "code"))
        assert "raw/treaties/test-pact.yaml" in parsed
