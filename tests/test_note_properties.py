"""Property: any note, however malformed, either reads or raises the project's NotesInvalid."""

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.note_models import ProgramNote, TreatyNote
from pipeline.notes import NotesInvalid, read_note

FIELDS = sorted(set(TreatyNote.model_fields) | set(ProgramNote.model_fields) | {"country", "role", "joined", "left", "us_state", "start_year", "hosts", "year", "url", "title"})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=30),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["USA", "Korea", "France", "XKX", "SUN", "1949-08-24", "2023-02-30", "1993", "1950-06", "https://example.org", "ftp://x", "original", "defense"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5), max_leaves=25)
notes = st.dictionaries(st.sampled_from(FIELDS), values, max_size=14)

VALID = {
    "id": "case", "name": "Case", "short_name": "C", "kind": "collective_defense", "obligations": ["defense"],
    "signed": "1950-01-01", "in_force": "1950-06-01", "last_reviewed": "2026-01-01", "source": "s",
    "sources": [{"id": "s", "url": "https://example.org", "title": "T"}],
    "members": [{"country": "USA", "role": "original", "joined": "1950-06-01", "source": "s"}],
}


def outcome(text: bytes, model) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_bytes(text)
        try:
            read_note(path, model, "raw/treaties/case.yaml")
        except NotesInvalid as invalid:
            assert invalid.problems and all(p.line >= 1 for p in invalid.problems)
            return "refused"
        return "read"


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(notes, st.sampled_from([TreatyNote, ProgramNote]))
def test_any_structure_reads_or_is_refused(note, model):
    outcome(yaml.safe_dump(note, allow_unicode=True).encode(), model)


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(VALID)), values, max_size=3))
def test_valid_notes_with_random_fields_replaced(changes):
    outcome(yaml.safe_dump({**VALID, **changes}, allow_unicode=True).encode(), TreatyNote)


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_read_or_are_refused(text):
    outcome(text, TreatyNote)


def test_the_valid_note_reads():
    assert outcome(yaml.safe_dump(VALID).encode(), TreatyNote) == "read"


REFUSED_CATEGORIES = ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters() | st.sampled_from("\u202e\u2066\u200b\ufeff\u2028\u2029\x07\x1b\ue000\U000f0000\u00a0\u3000\n\t "), min_size=1, max_size=40))
def test_text_is_refused_exactly_when_it_holds_an_invisible_or_control_character(text):
    import unicodedata

    from pipeline.note_models import _visible_text

    hidden = [c for c in text if c not in "\n\t" and unicodedata.category(c) in REFUSED_CATEGORIES]
    try:
        _visible_text(text)
        refused = False
    except ValueError:
        refused = True
    assert refused == (bool(hidden) or not text.strip())
