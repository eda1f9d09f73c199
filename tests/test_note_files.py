"""Files under raw/ are read on purpose or refused with their path: never skipped, never followed."""

import os
import shutil
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.notes import NotesInvalid, read_notes


def problems(raw: Path) -> list[str]:
    with pytest.raises(NotesInvalid) as caught:
        read_notes(raw)
    return [str(p) for p in caught.value.problems]


def note(raw: Path) -> Path:
    return raw / "treaties" / "test-pact.yaml"


CASES = {
    "yml-extension": (lambda raw: shutil.copy(note(raw), raw / "treaties" / "other.yml"),
                      "raw/treaties/other.yml:0: file: notes end in .yaml (lower case); rename it to other.yaml"),
    "upper-case-extension": (lambda raw: shutil.copy(note(raw), raw / "treaties" / "other.YAML"),
                             "raw/treaties/other.YAML:0: file: notes end in .yaml (lower case); rename it to other.yaml"),
    "nested-folder": (lambda raw: (raw / "treaties" / "old").mkdir(),
                      "raw/treaties/old:0: file: folders inside a notes folder are not read; move its notes up"),
    "misspelt-folder": (lambda raw: (raw / "treaty").mkdir(),
                        "raw/treaty:0: file: not a notes folder (did you mean 'treaties'?); the folders are treaties, programs, claims, countries, states, decisions"),
    "link-outside": (lambda raw: os.symlink("/etc/hostname", raw / "treaties" / "linked.yaml"),
                     "raw/treaties/linked.yaml:0: file: symbolic links are not followed; put the note itself here"),
    "dangling-link": (lambda raw: os.symlink(raw / "nowhere.yaml", raw / "programs" / "gone.yaml"),
                      "raw/programs/gone.yaml:0: file: symbolic links are not followed; put the note itself here"),
    "linked-folder": (lambda raw: os.symlink(raw / "treaties", raw / "more"),
                      "raw/more:0: file: symbolic links are not followed; put the note itself here"),
    "fifo": (lambda raw: os.mkfifo(raw / "claims" / "pipe.yaml"),
             "raw/claims/pipe.yaml:0: file: not a regular file (a pipe, socket or device)"),
    "emacs-lock": (lambda raw: (raw / "treaties" / ".#test-pact.yaml").write_text("x"),
                   "raw/treaties/.#test-pact.yaml:0: file: an editor's lock or backup file; save and close the note, then delete it"),
    "backup": (lambda raw: (raw / "treaties" / "test-pact.yaml~").write_text("x"),
               "raw/treaties/test-pact.yaml~:0: file: an editor's lock or backup file; save and close the note, then delete it"),
    "vim-swap": (lambda raw: (raw / "treaties" / ".test-pact.yaml.swp").write_text("x"),
                 "raw/treaties/.test-pact.yaml.swp:0: file: an editor's lock or backup file; save and close the note, then delete it"),
    "hidden-yaml": (lambda raw: (raw / "treaties" / ".hidden.yaml").write_text("x"),
                    "raw/treaties/.hidden.yaml:0: file: notes end in .yaml (lower case); rename it to hidden.yaml"),
    "stray-file": (lambda raw: (raw / "treaties" / "notes.txt").write_text("x"),
                   "raw/treaties/notes.txt:0: file: a file that is not a note: a notes folder holds only .yaml notes"),
    "stray-top-file": (lambda raw: (raw / "nato.yaml").write_text("x"),
                       "raw/nato.yaml:0: file: a file that is not a note at the top of raw/; notes go in the folders treaties, programs, claims, countries, states, decisions"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_entry_is_read_or_refused_with_its_path(small_raw, case):
    make, expected = CASES[case]
    make(small_raw)
    assert expected in problems(small_raw)


def test_a_missing_or_empty_notes_folder_is_an_error_and_publishes_nothing(tmp_path):
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0: folder: the notes folder does not exist"]
    empty = tmp_path / "raw"
    for kind in ("treaties", "programs"):
        (empty / kind).mkdir(parents=True)
    assert problems(empty) == ["raw/:0: folder: no notes found: a release is never built from an empty notes folder"]
    with pytest.raises(NotesInvalid):
        build(empty, tmp_path / "out")
    assert not (tmp_path / "out" / "releases" / "index.json").exists()
