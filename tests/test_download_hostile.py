"""Mirrors that cheat and copies that change: a release tampered with consistently, a cache
that must not hand back another mirror's copy, local folders edited after publishing, and
downloads killed at ten moments."""

import hashlib
import json
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import pipeline
from mirror_server import ALLIANCES, build_release, download, published, serve  # noqa: F401 (fixtures)
from pipeline.download import DownloadError


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tamper(mirror: Path, name: str, data: bytes, fix_index: bool) -> None:
    """Replace `1.0.0/name` and make datapackage.json and SHA256SUMS agree with it, as a
    careful attacker would; with `fix_index`, also the SHA256SUMS digest index.json records."""
    folder = mirror / "1.0.0"
    (folder / name).write_bytes(data)
    package = json.loads((folder / "datapackage.json").read_text())
    for resource in package["resources"]:
        if resource["path"] == name:
            resource["bytes"], resource["hash"] = len(data), hashlib.sha256(data).hexdigest()
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2))
    sums = [f"{_sha256(p)}  {p.name}" for p in sorted(folder.iterdir()) if p.name != "SHA256SUMS"]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    if fix_index:
        index = json.loads((mirror / "index.json").read_text())
        index["releases"][0]["sha256sums"] = _sha256(folder / "SHA256SUMS")
        (mirror / "index.json").write_text(json.dumps(index, indent=2))


def test_a_csv_changed_with_its_checksums_is_refused_by_the_index_record(published, serve, tmp_path):
    mirror = Path(shutil.copytree(published, tmp_path / "mirror"))
    csv = (mirror / "1.0.0" / "treaties.csv").read_bytes()
    tamper(mirror, "treaties.csv", csv.replace(b"Test Pact of Mutual Defence", b"Test Pact of Mutual Offence"), fix_index=False)
    url, _ = serve(mirror)
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Error: SHA256SUMS differs from the one index.json recorded when the release was published; the release was changed or tampered with"]
    assert not (tmp_path / "dl").exists()


def test_a_table_changed_with_checksums_and_index_record_is_refused_by_the_table_hash(published, serve, tmp_path):
    mirror = Path(shutil.copytree(published, tmp_path / "mirror"))
    path = mirror / "1.0.0" / "memberships.parquet"
    table = pq.read_table(path).to_pandas()
    table.loc[0, "role"] = "acceded" if table.loc[0, "role"] != "acceded" else "original"
    changed = tmp_path / "changed.parquet"
    pq.write_table(pq.read_table(path).from_pandas(table, schema=pq.read_schema(path)), changed)
    tamper(mirror, "memberships.parquet", changed.read_bytes(), fix_index=True)
    url, _ = serve(mirror)
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Error: memberships.parquet: its rows differ from the table hash index.json recorded; the release was tampered with"]
    assert not (tmp_path / "dl").exists()


def test_a_refused_connection_is_one_line(tmp_path):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again before the download starts
    done = download("latest", "--from", f"http://127.0.0.1:{port}/", "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: http://127.0.0.1:{port}/index.json: cannot fetch it (") and "refused" in lines[0]


def test_a_local_release_edited_after_publishing_is_not_loaded(published, tmp_path):
    folder = Path(shutil.copytree(published / "1.0.0", tmp_path / "copy" / "1.0.0"))
    assert len(pipeline.load("treaties", source=folder)) == 2
    data = (folder / "treaties.parquet").read_bytes()
    (folder / "treaties.parquet").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(DownloadError, match=r"treaties.parquet: does not match SHA256SUMS; the file was changed after it was published"):
        pipeline.load("treaties", source=folder)
    assert len(pipeline.load("memberships", source=folder)) > 0  # only what is read is checked
    (folder / "SHA256SUMS").unlink()
    with pytest.raises(DownloadError, match="has no SHA256SUMS; it is not a published release"):
        pipeline.load("memberships", source=folder)
    done = subprocess.run([ALLIANCES, "diff", "1.0.0", "1.0.0", "--source", str(tmp_path / "copy")], capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr.strip().splitlines() == [f"Error: {folder} has no SHA256SUMS; it is not a published release and cannot be verified"]


OTHER_PACT = """\
id: other-pact
name: Other Test Pact
short_name: OTP
kind: bilateral_defense
obligations: [defense]
signed: 1970-01-01
in_force: 1970-01-01
last_reviewed: 2026-01-01
source: text
sources:
  - id: text
    url: https://example.org/other-pact
    title: Text of the Other Test Pact
members:
  - {country: USA, role: original, joined: 1970-01-01, source: text}
  - {country: MEX, role: original, joined: 1970-01-01, source: text}
"""


def test_the_cache_is_keyed_by_mirror_and_content_and_rechecked(published, serve, tmp_path, monkeypatch):
    """A mirror that now serves other content under the same version is fetched again; a
    cached copy edited on disk is refused, never read."""
    monkeypatch.setenv("ALLIANCES_CACHE", str(tmp_path / "cache"))
    served = Path(shutil.copytree(published, tmp_path / "served"))
    url, _ = serve(served)
    assert sorted(pipeline.load("treaties", source=url).treaty_id) == ["germany-pact", "test-pact"]
    other = build_release(tmp_path / "other", {"other-pact": OTHER_PACT})  # also version 1.0.0
    shutil.rmtree(served)
    shutil.copytree(other, served)
    assert sorted(pipeline.load("treaties", source=url).treaty_id) == ["germany-pact", "other-pact", "test-pact"]
    copies = sorted((tmp_path / "cache").glob("*/*/1.0.0"))
    assert len(copies) == 2 and copies[0].parent.parent == copies[1].parent.parent  # one mirror, two contents
    newest = next(p for p in copies if "other-pact" in (p / "treaties.csv").read_text())
    (newest / "treaties.parquet").write_bytes(b"PAR1 not the table PAR1")
    with pytest.raises(DownloadError, match=r"treaties.parquet: does not match SHA256SUMS"):
        pipeline.load("treaties", source=url)


def _visible(folder: Path) -> list[str]:
    """What a user sees in --to: everything but a hidden staging folder of a killed run."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".download-")) if folder.exists() else []


def test_downloads_killed_at_ten_moments_leave_nothing_in_the_destination(published, serve, tmp_path):
    """Killed while each of ten requests is half answered (index, checksums, data package,
    tables): never a release folder, complete or not; the next run clears the staging."""
    destination = tmp_path / "dl"
    url, requests = serve(published)
    assert download("1.0.0", "--from", url, "--to", str(tmp_path / "whole")).returncode == 0
    total = len(requests)
    moments = sorted({1, 2, 3, 4, 5, total // 4, total // 2, 3 * total // 4, total - 1, total})
    assert len(moments) == 10
    for moment in moments:
        held = threading.Event()
        url, requests = serve(published, hold_at=moment, held=held)
        process = subprocess.Popen([ALLIANCES, "download", "1.0.0", "--from", url, "--to", str(destination)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert held.wait(30), f"request {moment} never came ({requests})"
        time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _visible(destination) == [], f"killed at request {moment} ({requests[-1]})"
    done = download("1.0.0", "--from", str(published), "--to", str(destination))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in destination.iterdir()) == ["1.0.0"]
