"""Versions from content, changelogs, diff, immutability and the one-file bundle."""

import dataclasses
import json
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import TESTS, replace_in
from pipeline import releases
from pipeline.build import build

ALLIANCES = str(Path(sys.executable).parent / "alliances")


CORRECTION = ("treaties/test-pact.yaml", "left: 1970-03-01", "left: 1970-03-02")


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory):
    """1.0.0 from the fixture notes, then one corrected date; built once for the module."""
    root = tmp_path_factory.mktemp("two-releases")
    raw = Path(shutil.copytree(TESTS / "fixtures" / "raw", root / "raw"))
    first = build(raw, root / "outputs")
    replace_in(raw / CORRECTION[0], *CORRECTION[1:])
    return root / "outputs", first, build(raw, root / "outputs")


@pytest.fixture
def two_releases(built_twice, small_raw, tmp_path):
    """A copy of those outputs for one test to change, and `small_raw` corrected the same way."""
    built, first, second = built_twice
    outputs = Path(shutil.copytree(built, tmp_path / "outputs"))
    replace_in(small_raw / CORRECTION[0], *CORRECTION[1:])
    moved = [dataclasses.replace(o, path=outputs / o.path.relative_to(built)) for o in (first, second)]
    return outputs, *moved


def test_one_corrected_date_is_a_minor_bump_with_exactly_that_change(two_releases):
    outputs, first, second = two_releases
    assert (first.version, second.version, second.bump) == ("1.0.0", "1.1.0", "minor")
    changelog = (outputs / "releases" / "1.1.0" / "CHANGELOG.md").read_text()
    assert "| memberships | 0 | 0 | 1 |" in changelog
    for table in ("countries", "treaties", "programs", "program_participants", "program_activities"):
        assert f"| {table} | 0 | 0 | 0 |" in changelog
    assert "- `test-pact/FRA/1`: left: `'1970-03-01'` -> `'1970-03-02'`" in changelog
    assert "Version bump: minor" in changelog


def test_diff_command_gives_the_same_change_as_json(two_releases):
    outputs, _, _ = two_releases
    done = subprocess.run([ALLIANCES, "diff", "1.0.0", "latest", "--source", str(outputs), "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert (found["old"], found["new"]) == ("1.0.0", "1.1.0")  # 'latest' is named by the version it resolved to
    assert found["summary"]["memberships"] == {"added": 0, "removed": 0, "changed": 1}
    assert found["tables"]["memberships"]["changed"] == [{"key": "test-pact/FRA/1", "changes": {"left": ["1970-03-01", "1970-03-02"]}}]
    text = subprocess.run([ALLIANCES, "diff", "1.0.0", "1.1.0", "--source", str(outputs)], capture_output=True, text=True)
    assert "- `test-pact/FRA/1`: left: `'1970-03-01'` -> `'1970-03-02'`" in text.stdout


def test_unchanged_rebuild_publishes_nothing(two_releases, small_raw):
    outputs, _, second = two_releases
    again = build(small_raw, outputs)
    assert again.version is None and again.reason == "notes and code unchanged since 1.1.0"
    index = json.loads((outputs / "releases" / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == ["1.0.0", "1.1.0"] and index["latest"] == "1.1.0"
    assert index["releases"][1]["previous"] == "1.0.0" and index["releases"][1]["changes"]["memberships"]["changed"] == 1


def _previous_entry(**schema_edits) -> dict:
    schema = releases.schema_signature()
    for table, columns in schema_edits.items():
        schema[table] = columns(dict(schema[table]))
    return {"version": "1.4.2", "content_hash": "old", "data_hash": "old", "schema_hash": "old", "schema": schema}


def test_removed_column_is_a_major_bump_naming_its_replacement(monkeypatch):
    prints = {"content_hash": "new", "data_hash": "old", "schema_hash": "new", "docs_hash": "x"}
    previous = _previous_entry(memberships=lambda cols: {**cols, "member_since": "date"})
    assert releases.next_version(previous, prints) == ("2.0.0", "major", "column memberships.member_since removed, no replacement")
    monkeypatch.setitem(releases.schemas.RENAMED_COLUMNS, "memberships", {"member_since": "joined"})
    assert releases.next_version(previous, prints)[2] == "column memberships.member_since removed, replaced by memberships.joined"


def test_changed_type_is_major_and_added_column_is_minor():
    prints = {"content_hash": "new", "data_hash": "old", "schema_hash": "new", "docs_hash": "x"}
    narrowed = _previous_entry(treaties=lambda cols: {**cols, "signed": "string"})
    assert releases.next_version(narrowed, prints)[:2] == ("2.0.0", "major")
    added = _previous_entry(treaties=lambda cols: {k: v for k, v in cols.items() if k != "atop_id"})
    assert releases.next_version(added, prints)[:2] == ("1.5.0", "minor")
    docs_only = _previous_entry()
    docs_only["schema_hash"] = "new"
    assert releases.next_version(docs_only, {**prints, "schema_hash": "new"})[:2] == ("1.4.3", "patch")


def test_same_notes_give_identical_files_in_different_folders(small_raw, tmp_path):
    build(small_raw, tmp_path / "a")
    build(small_raw, tmp_path / "b")
    sums = [(tmp_path / side / "releases" / "1.0.0" / "SHA256SUMS").read_text() for side in ("a", "b")]
    assert sums[0] == sums[1]
    assert len(sums[0].splitlines()) == 3 * len(releases.schemas.TABLES) + 6  # tables thrice, datapackage, README, CITATION.cff, CHANGELOG, index.html, zip


def test_existing_version_folder_is_never_written(two_releases, small_raw):
    outputs, _, _ = two_releases
    index_path = outputs / "releases" / "index.json"
    index = json.loads(index_path.read_text())
    index_path.write_text(json.dumps({**index, "latest": "1.0.0"}))  # the pointer rolled back by hand
    before = (outputs / "releases" / "1.1.0" / "SHA256SUMS").read_text()
    replace_in(small_raw / "treaties" / "test-pact.yaml", "left: 1970-03-02", "left: 1970-03-03")
    with pytest.raises(releases.PublishError, match="1.1.0 already exists; releases are never overwritten"):
        build(small_raw, outputs)
    assert (outputs / "releases" / "1.1.0" / "SHA256SUMS").read_text() == before


def test_bundle_holds_every_file_and_is_checksummed(small_raw, tmp_path):
    outcome = build(small_raw, tmp_path)
    folder = outcome.path
    with zipfile.ZipFile(folder / "alliances-dataset-1.0.0.zip") as bundle:
        names = {Path(n).name for n in bundle.namelist()}
        assert bundle.read("alliances-dataset-1.0.0/memberships.csv") == (folder / "memberships.csv").read_bytes()
        for name in ("memberships.csv", "memberships.dta", "memberships.parquet"):
            info, data = bundle.getinfo(f"alliances-dataset-1.0.0/{name}"), (folder / name).read_bytes()
            if name.endswith(".parquet"):  # compressed already: stored
                assert info.compress_type == zipfile.ZIP_STORED, name
            else:  # deflated at level 1, the fast one
                level_1 = zlib.compressobj(1, zlib.DEFLATED, -15)
                assert info.compress_size == len(level_1.compress(data) + level_1.flush()), name
    assert names == {p.name for p in folder.iterdir()} - {"SHA256SUMS", "alliances-dataset-1.0.0.zip"}
    assert "alliances-dataset-1.0.0.zip" in (folder / "SHA256SUMS").read_text()
    readme = (folder / "README.md").read_text()
    assert "version 1.0.0" in readme and "How to cite this version" in readme
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["version"] == "1.0.0" and package["licenses"][0]["name"] == "CC-BY-4.0" and "1.0.0" in package["citation"]


def test_index_and_release_files_are_world_readable(two_releases):
    releases = two_releases[0] / "releases"
    assert (releases / "index.json").stat().st_mode & 0o777 == 0o644
    for path in (releases / "1.0.0").iterdir():
        assert path.stat().st_mode & 0o004, path


def test_tables_unchanged_since_the_last_release_are_copied_unless_their_files_were_altered(small_raw, tmp_path, monkeypatch):
    from pipeline import table_files

    outputs = tmp_path / "outputs"
    first = build(small_raw, outputs).path
    written = []
    real_write = table_files.write_table
    monkeypatch.setattr(table_files, "write_table", lambda name, df, folder: written.append(name) or real_write(name, df, folder))
    replace_in(small_raw / "treaties" / "test-pact.yaml", "name: Test Pact of Mutual Defence", "name: Test Pact of Mutual Defense")
    second = build(small_raw, outputs).path
    assert written == ["treaties"]  # the rest copied from 1.0.0
    for name in ("memberships", "dyad_year", "country_year"):
        assert (second / f"{name}.csv").read_bytes() == (first / f"{name}.csv").read_bytes()
    original = (second / "dyad_year.csv").read_bytes()
    (second / "dyad_year.csv").write_bytes(original + b"x")  # no longer what 1.1.0's SHA256SUMS says
    replace_in(small_raw / "treaties" / "test-pact.yaml", "name: Test Pact of Mutual Defense", "name: Test Pact of Mutual Defence")
    written.clear()
    third = build(small_raw, outputs)
    assert third.version == "1.2.0" and "dyad_year" in written and (third.path / "dyad_year.csv").read_bytes() == original
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=third.path).returncode == 0


def test_panels_are_taken_from_the_last_release_only_while_their_ingredients_are_unchanged(small_raw, tmp_path, monkeypatch):
    from pipeline import panels

    outputs = tmp_path / "outputs"
    build(small_raw, outputs)
    calls = []
    for name in ("dyad_year", "country_year"):
        real = getattr(panels, name)
        monkeypatch.setattr(panels, name, lambda *args, _real=real, _name=name: calls.append(_name) or _real(*args))
    replace_in(small_raw / "treaties" / "test-pact.yaml", "name: Test Pact of Mutual Defence", "name: Test Pact of Mutual Defense")
    renamed = build(small_raw, outputs)
    assert calls == []  # a name is no ingredient of the panels
    fresh = build(small_raw, tmp_path / "fresh").path  # the same notes, nothing to reuse
    for name in ("dyad_year", "country_year", "coverage"):
        assert (renamed.path / f"{name}.parquet").read_bytes() == (fresh / f"{name}.parquet").read_bytes(), name
    calls.clear()
    replace_in(small_raw / "treaties" / "test-pact.yaml", "left: 1970-03-01", "left: 1971-03-01")
    assert build(small_raw, outputs).version == "1.2.0" and calls == ["dyad_year", "country_year"]
    calls.clear()
    with open(outputs / "releases" / "1.2.0" / "dyad_year.parquet", "ab") as altered:
        altered.write(b"x")  # no longer what SHA256SUMS says: not reused
    replace_in(small_raw / "treaties" / "test-pact.yaml", "name: Test Pact of Mutual Defense", "name: Test Pact of Mutual Defence")
    assert build(small_raw, outputs).version == "1.3.0" and calls == ["dyad_year"]


def _as_if_published_earlier(folder: Path) -> None:
    """Turn a release folder into one published under an earlier schema: `countries` without
    `region` and with a column since removed, no `coverage` table; SHA256SUMS to match."""
    import hashlib

    import pyarrow.parquet as pq

    countries = pq.read_table(folder / "countries.parquet")
    countries = countries.drop_columns(["region"]).append_column("old_code", countries.column("country_iso3"))
    pq.write_table(countries, folder / "countries.parquet")
    (folder / "coverage.parquet").unlink()
    (folder / "coverage.csv").unlink()
    files = sorted(p for p in folder.iterdir() if p.name != "SHA256SUMS")
    (folder / "SHA256SUMS").write_text("".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files))


def test_a_release_published_under_an_earlier_schema_loads_and_diffs_as_published(two_releases):
    from pipeline import changes, loader

    outputs, first, second = two_releases
    old, new = first.path, second.path
    _as_if_published_earlier(old)
    tables = loader.load_all(source=old)
    assert "coverage" not in tables and set(tables) == set(releases.schemas.TABLES) - {"coverage"}
    countries = tables["countries"]
    assert "region" not in countries and countries["old_code"].dtype == "str"
    assert countries["cow_ccode"].dtype == "Int64"
    assert tables["memberships"]["joined"].dtype == "datetime64[ns]"
    found = changes.diff_tables(tables, loader.load_all(source=new))
    assert changes.summary_counts(found)["coverage"]["added"] == len(loader.load("coverage", source=new))
    result = subprocess.run([ALLIANCES, "diff", first.version, "latest", "--source", str(outputs / "releases")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Columns added: `region`." in result.stdout
