"""Failures of the machine (a full disk, a read-only folder, a lock file that cannot be
made, a mirror that cannot be written) are one line naming the path and the cause, and
leave nothing half-written or half-listed. The faults are injected where the real one
would strike, so the suite needs no special file systems."""

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import download as download_module, releases, table_files
from pipeline.build import build
from pipeline.cli import main


def _fault(code: int, path=None):
    """A function that raises the OSError the kernel gives for `code`."""
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), *([str(path)] if path else []))
    return fail


@pytest.fixture
def run():
    def invoke(*args):
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        return result.exit_code, result.output.strip().splitlines()
    return invoke


def _left_in(releases_dir: Path) -> list[str]:
    """What a failed publish left beside the lock file."""
    return sorted(p.name for p in releases_dir.iterdir() if p.name != ".lock") if releases_dir.exists() else []


def test_a_full_disk_while_writing_tables_publishes_nothing(small_raw, tmp_path, run, monkeypatch):
    write = table_files.write_table

    def fill_up(table, df, folder):
        write(table, df, folder)
        if table == "memberships":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(table_files, "write_table", fill_up)
    code, lines = run("build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out"))
    target = tmp_path / "out" / "releases"
    assert code == 1 and lines == [f"cannot publish into {target}: No space left on device; nothing was published", "build failed: nothing was published"]
    assert _left_in(target) == []  # no staging folder, no index


def test_a_read_only_index_leaves_no_unlisted_release_behind(small_raw, tmp_path, run, monkeypatch):
    build(small_raw, tmp_path / "out")
    target = tmp_path / "out" / "releases"
    before = (target / "index.json").read_bytes()
    (small_raw / "treaties" / "test-pact.yaml").write_text((small_raw / "treaties" / "test-pact.yaml").read_text().replace("joined: 1980-01-01", "joined: 1980-02-01"))
    monkeypatch.setattr(releases.tempfile, "mkstemp", _fault(errno.EROFS, target / ".index.json.x"))
    code, lines = run("build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out"))
    assert code == 1 and lines == [
        f"cannot publish into {target}: Read-only file system ({target}/.index.json.x); nothing was published", "build failed: nothing was published"]
    assert _left_in(target) == ["1.0.0", "index.json"] and (target / "index.json").read_bytes() == before


def test_a_lock_file_that_cannot_be_made_is_one_line(small_raw, tmp_path, run, monkeypatch):
    target = tmp_path / "out" / "releases"
    monkeypatch.setattr(releases, "FileLock", _fault(errno.EACCES, target / ".lock"))
    code, lines = run("build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out"))
    assert code == 1 and lines == [f"cannot publish into {target}: Permission denied ({target}/.lock); nothing was published", "build failed: nothing was published"]


def test_a_releases_path_that_is_a_file_is_one_line(small_raw, tmp_path, run):
    target = tmp_path / "out" / "releases"
    target.parent.mkdir()
    target.write_text("not a folder")
    code, lines = run("build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out"))
    assert code == 1 and lines == [f"cannot publish into {target}: File exists ({target}); nothing was published", "build failed: nothing was published"]


def test_a_mirror_that_cannot_be_written_says_what_was_published(small_raw, tmp_path, run):
    (tmp_path / "blocker").write_text("a file where the mirror's folder should be")
    mirror = (tmp_path / "blocker" / "mirror").as_uri()
    code, lines = run("build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out"), "--mirror", mirror)
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith(f"cannot copy the releases to the mirror {mirror}: ") and lines[0].endswith("; the mirror's index was not changed and the next build tries again")
    assert lines[1] == "build failed after publishing 1.0.0 locally"
    assert _left_in(tmp_path / "out" / "releases") == ["1.0.0", "index.json"]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    shutil.copytree(Path(__file__).parent / "fixtures" / "raw", root / "raw")
    build(root / "raw", root)
    return root / "releases"


def test_a_full_disk_while_downloading_keeps_nothing(release, tmp_path, run, monkeypatch):
    fetch = download_module._fetch

    def fill_up(source, version, name, target, *rest):
        if name == "memberships.csv":
            target.write_bytes(b"half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fetch(source, version, name, target, *rest)
    monkeypatch.setattr(download_module, "_fetch", fill_up)
    code, lines = run("download", "1.0.0", "--from", str(release), "--to", str(tmp_path / "dl"))
    assert code == 1 and lines == [f"Error: cannot write into {tmp_path / 'dl'}: No space left on device; nothing was kept"]
    assert not (tmp_path / "dl").exists()


def test_a_read_only_destination_is_one_line(release, tmp_path, run, monkeypatch):
    monkeypatch.setattr(download_module.tempfile, "mkdtemp", _fault(errno.EROFS, tmp_path / "dl"))
    code, lines = run("download", "1.0.0", "--from", str(release), "--to", str(tmp_path / "dl"))
    assert code == 1 and lines == [f"Error: cannot write into {tmp_path / 'dl'}: Read-only file system ({tmp_path / 'dl'})"]
