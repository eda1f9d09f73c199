"""`alliances download` and the loader against a real HTTP server on 127.0.0.1."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import pipeline
import schemas
from mirror_server import download, published, serve  # noqa: F401 (fixtures)


def test_download_latest_over_http_verifies_every_file(published, serve, tmp_path):
    url, requests = serve(published)
    done = download("latest", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 0, done.stderr
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "dl" / "1.0.0", capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 3 * len(schemas.TABLES) + 6
    assert requests[0] == "/index.json"


def test_download_from_a_local_folder(published, tmp_path):
    done = download("1.0.0", "--from", str(published), "--to", str(tmp_path / "dl"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dl" / "1.0.0" / "memberships.parquet").exists()


def test_tampered_file_is_refused_and_named(published, serve, tmp_path):
    mirror = Path(shutil.copytree(published, tmp_path / "mirror"))
    table = mirror / "1.0.0" / "treaties.csv"
    data = table.read_bytes()
    table.write_bytes(data[:-10] + b"X" * 10)  # same size, other content
    url, _ = serve(mirror)
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1
    assert "treaties.csv: checksum mismatch" in done.stderr
    assert not (tmp_path / "dl").exists()  # nothing left, not even the folder


def test_missing_file_is_named(published, serve, tmp_path):
    mirror = Path(shutil.copytree(published, tmp_path / "mirror"))
    (mirror / "1.0.0" / "programs.parquet").unlink()
    url, _ = serve(mirror)
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "programs.parquet: the server answered HTTP 404" in done.stderr
    assert not (tmp_path / "dl").exists()  # nothing left, not even the folder


def test_connection_dropped_mid_file(published, serve, tmp_path):
    url, _ = serve(published, drop={"memberships.parquet"})
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "memberships.parquet:" in done.stderr
    assert not (tmp_path / "dl").exists()  # nothing left, not even the folder


@pytest.mark.parametrize("version", ["../../etc", "1.0", "v1.0.0", "1.0.0/../x", "01.0.0", "1.0.0\n", " 1.0.0", "1.0.0 ", "1.٠.0", "1.0.0-rc1"])
def test_bad_versions_are_refused_before_any_fetch(published, serve, tmp_path, version):
    url, requests = serve(published)
    done = download(version, "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "is not a version of the form MAJOR.MINOR.PATCH" in done.stderr
    assert requests == [] and not (tmp_path / "dl").exists()


def test_loader_reads_with_schema_dtypes_from_every_kind_of_source(published, serve, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCES_CACHE", str(tmp_path / "cache"))
    url, _ = serve(published)
    local = pipeline.load("memberships", source=published)
    from_url = pipeline.load("memberships", "latest", source=url)
    pd.testing.assert_frame_equal(local, from_url)
    assert len(list((tmp_path / "cache").glob("*/*/1.0.0/SHA256SUMS"))) == 1  # under the mirror and the content hash
    assert str(local["joined"].dtype).startswith("datetime64") and str(local["cow_ccode"].dtype) == "Int64"
    germany = local[local.country_iso3 == "DEU"]
    # the code of the year a spell began: 260 for the Federal Republic (1955-1989), 255 otherwise
    assert germany["cow_ccode"].tolist() == [260 if 1955 <= year <= 1989 else 255 for year in germany["joined"].dt.year]
    everything = pipeline.load_all(source=published / "1.0.0")
    assert set(everything) == set(schemas.TABLES) and sorted(everything["treaties"].treaty_id) == ["germany-pact", "test-pact"]
    with pytest.raises(KeyError, match="not a published table"):
        pipeline.load("alliances", source=published)


def test_loader_types_each_table_as_the_full_schema_check_does(published):
    """The fast path (a cast to the schema's dtypes) and validate=True give identical frames."""
    for name in schemas.TABLES:
        typed = pipeline.load(name, source=published)
        checked = pipeline.load(name, source=published, validate=True)
        pd.testing.assert_frame_equal(typed, checked, check_exact=True)
        assert list(typed.columns) == schemas.TABLES[name].columns


@pytest.mark.parametrize(("misbehave", "expected"), [
    ({"index.json": "redirect"}, "index.json: cannot fetch it (redirected (HTTP 302) to http://127.0.0.1:9/elsewhere"),
    ({"index.json": "500"}, "index.json: cannot fetch it (Internal Server Error)"),
    ({"index.json": "404"}, "index.json: cannot fetch it (Not Found)"),
    ({"index.json": "endless"}, "index.json: cannot fetch it (more than 67108864 bytes; stopped)"),
    ({"SHA256SUMS": "drip"}, "SHA256SUMS: cannot fetch release 1.0.0"),
    ({"datapackage.json": "404"}, "datapackage.json: cannot fetch it"),
    ({"memberships.parquet": "drip"}, "memberships.parquet: the download took longer than 2 s (ALLIANCES_DOWNLOAD_DEADLINE); stopped"),
    ({"memberships.parquet": "stall"}, "memberships.parquet: the server stopped sending (timed out); stopped"),
    ({"index.json": "garbage"}, "index.json is not a releases index"),
    ({"SHA256SUMS": "redirect"}, "SHA256SUMS: cannot fetch release 1.0.0"),
    ({"treaties.csv": "500"}, "treaties.csv: the server answered HTTP 500"),
    ({"treaties.csv": "endless"}, "treaties.csv: the server sent more than the"),
])
def test_a_misbehaving_server_gets_one_line_and_leaves_nothing(published, serve, tmp_path, misbehave, expected):
    url, _ = serve(published, misbehave=misbehave)
    done = download("latest", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], done.stderr
    assert not (tmp_path / "dl").exists()


@pytest.mark.parametrize(("sums", "expected"), [
    ("", "SHA256SUMS is empty"),
    ("drop-treaties", "SHA256SUMS does not list treaties.csv, which the index says the release holds"),
])
def test_an_empty_or_partial_checksum_list_is_refused(published, serve, tmp_path, sums, expected):
    mirror = Path(shutil.copytree(published, tmp_path / "mirror"))
    listing = mirror / "1.0.0" / "SHA256SUMS"
    kept = "" if sums == "" else "".join(line for line in listing.read_text().splitlines(keepends=True) if "  treaties." not in line)
    listing.write_text(kept)
    url, _ = serve(mirror)
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 1 and expected in done.stderr
    assert not (tmp_path / "dl").exists()


def test_a_killed_download_leaves_its_staging_for_the_next_run_to_clean(published, tmp_path):
    stale = tmp_path / "dl" / ".download-1.0.0-abc123"
    stale.mkdir(parents=True)
    (stale / "treaties.csv").write_text("half")
    done = download("1.0.0", "--from", str(published), "--to", str(tmp_path / "dl"))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "dl").iterdir()] == ["1.0.0"]
    assert (tmp_path / "dl" / "1.0.0").stat().st_mode & 0o777 == 0o755


def test_a_release_published_before_the_stata_files_downloads(published, serve, tmp_path):
    """Its index entry lists no formats and its SHA256SUMS no .dta: nothing is missing."""
    mirror = Path(shutil.copytree(published, tmp_path / "mirror"))
    folder = mirror / "1.0.0"
    for dta in folder.glob("*.dta"):
        dta.unlink()
    package = json.loads((folder / "datapackage.json").read_text())
    package["resources"] = [r for r in package["resources"] if not r["path"].endswith(".dta")]
    (folder / "datapackage.json").write_text(json.dumps(package))
    files = sorted(p for p in folder.iterdir() if p.name != "SHA256SUMS")
    (folder / "SHA256SUMS").write_text("".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files))
    index = json.loads((mirror / "index.json").read_text())
    entry = index["releases"][0]
    del entry["formats"]
    entry["sha256sums"] = hashlib.sha256((folder / "SHA256SUMS").read_bytes()).hexdigest()
    (mirror / "index.json").write_text(json.dumps(index))
    url, _ = serve(mirror)
    done = download("1.0.0", "--from", url, "--to", str(tmp_path / "dl"))
    assert done.returncode == 0, done.stderr
    got = tmp_path / "dl" / "1.0.0"
    assert sorted(p.name for p in got.iterdir()) == sorted(p.name for p in folder.iterdir())
    assert not list(got.glob("*.dta")) and len(list(got.glob("*.csv"))) == len(schemas.TABLES)
