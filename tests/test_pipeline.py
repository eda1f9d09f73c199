"""The Dagster pipeline materialized in-process into a temporary folder, and what it publishes."""

import json
import subprocess

import dagster as dg
import pandas as pd
import pytest

import schemas
from conftest import PROJECT, replace_in
from pipeline.definitions import ASSETS, defs
from pipeline.resources import Paths
from pipeline.runner import release_record


def materialize(raw, outputs):
    return dg.materialize(ASSETS, resources={"paths": Paths(raw_dir=str(raw), outputs_dir=str(outputs))}, raise_on_error=False)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One release built from the fixture notes."""
    import shutil

    from conftest import TESTS

    root = tmp_path_factory.mktemp("published")
    raw = shutil.copytree(TESTS / "fixtures" / "raw", root / "raw")
    result = materialize(raw, root / "outputs")
    assert result.success
    return root, result


def test_definitions_load_with_a_daily_schedule_and_in_process_executor():
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 4 * * *"
    job = defs.resolve_job_def("build_release")
    assert job.executor_def.name == "in_process"
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"raw_notes", "release", *schemas.TABLES}


def test_release_layout(published):
    root, _ = published
    releases = root / "outputs" / "releases"
    index = json.loads((releases / "index.json").read_text())
    assert index["latest"] == "1.0.0"
    folder = releases / "1.0.0"
    expected = {f"{t}.{ext}" for t in schemas.TABLES for ext in ("csv", "parquet", "dta")}
    expected |= {"datapackage.json", "SHA256SUMS", "CHANGELOG.md", "README.md", "CITATION.cff", "index.html", "alliances-dataset-1.0.0.zip"}
    assert {p.name for p in folder.iterdir()} == expected
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == len(expected) - 1
    import yaml

    cited, repository = yaml.safe_load((folder / "CITATION.cff").read_text()), yaml.safe_load((PROJECT / "CITATION.cff").read_text())
    assert cited == {**repository, "version": "1.0.0", "date-released": index["releases"][0]["created"]}


def test_parquet_and_csv_hold_the_same_typed_data(published):
    root, _ = published
    folder = root / "outputs" / "releases" / "1.0.0"
    memberships = pd.read_parquet(folder / "memberships.parquet")
    import pyarrow.parquet as pq

    arrow = pq.read_schema(folder / "memberships.parquet")
    assert str(arrow.field("joined").type) == "date32[day]" and str(arrow.field("cow_ccode").type) == "int64"
    csv = pd.read_csv(folder / "memberships.csv", dtype=str, keep_default_na=False)
    assert list(csv.columns) == schemas.TABLES["memberships"].columns
    assert csv.loc[csv.country_iso3 == "FRA", "joined"].tolist() == ["1960-01-01", "1980-01-01"]
    assert csv["cow_ccode"].str.fullmatch(r"\d*").all()  # integers, never "260.0"
    pact = memberships[memberships.treaty_id == "test-pact"]
    assert len(pact) == 4 and (pact[pact.role == "original"].joined.astype(str) == "1950-06-01").sum() == 2


def test_datapackage_passes_frictionless(published):
    root, _ = published
    from frictionless import Package, validate

    report = validate(root / "outputs" / "releases" / "1.0.0" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = Package(root / "outputs" / "releases" / "1.0.0" / "datapackage.json")
    memberships = package.get_resource("memberships")
    assert memberships.schema.primary_key == ["treaty_id", "country_iso3", "spell"]
    assert all(f.description for f in memberships.schema.fields)


def test_codebook_describes_every_column(published):
    root, _ = published
    readme = (root / "outputs" / "releases" / "1.0.0" / "README.md").read_text()
    for table in schemas.TABLES.values():
        for column in table.fields:
            assert f"| `{column.name}` | {column.type} |" in readme


def test_unchanged_notes_publish_nothing(published):
    root, _ = published
    before = sorted(p.name for p in (root / "outputs" / "releases").iterdir())
    result = materialize(root / "raw", root / "outputs")
    recorded = release_record(result)
    assert recorded["published"] is False and recorded["reason"] == "notes and code unchanged since 1.0.0"
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == []  # stopped before building tables
    with open(root / "raw" / "treaties" / "test-pact.yaml", "a") as note:
        note.write("# a comment changes the notes but not the content\n")
    recorded = release_record(materialize(root / "raw", root / "outputs"))
    assert recorded["published"] is False and recorded["reason"] == "content unchanged since 1.0.0"
    assert sorted(p.name for p in (root / "outputs" / "releases").iterdir()) == before


def test_a_failed_check_stops_the_release(small_raw, tmp_path):
    replace_in(small_raw / "claims/test-claims.yaml", "count: 3", "count: 5")
    result = materialize(small_raw, tmp_path / "out")
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    assert [e.check_name for e in failed] == ["source_claims"]
    assert "says 5 members of test-pact on 1965-01-01, the tables give 3" in failed[0].metadata["problems"].value
    assert not result.asset_materializations_for_node("release")
    assert not (tmp_path / "out" / "releases" / "index.json").exists()


def test_quotes_that_lack_their_value_are_reported_and_do_not_block(small_raw, tmp_path):
    result = materialize(small_raw, tmp_path / "out")
    (quotes,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "quotes_state_values"]
    assert not quotes.passed and quotes.severity == dg.AssetCheckSeverity.WARN
    assert "raw/treaties/test-pact.yaml:" in quotes.metadata["rows"].value
    index = json.loads((tmp_path / "out" / "releases" / "index.json").read_text())
    (entry,) = index["releases"]
    built = pd.read_csv(tmp_path / "out" / "releases" / entry["version"] / "memberships.csv")
    assert entry["quote_share"] < 1 and built["quote_gaps"].notna().any()
    readme = (tmp_path / "out" / "releases" / entry["version"] / "README.md").read_text()
    assert "## How far the quotes support the rows" in readme and "| `memberships` | 4 |" in readme


def test_an_unexpected_error_in_a_step_is_reported_with_its_cause(small_raw, tmp_path, monkeypatch):
    from pipeline import stata_files
    from pipeline.runner import run_build

    def broken(*_):
        raise RuntimeError("disk said no")

    monkeypatch.setattr(stata_files, "write_dta", broken)
    report = run_build(small_raw, tmp_path / "out", [])
    assert not report.success and not (tmp_path / "out" / "releases" / "1.0.0").exists()
    [problem] = report.problems
    assert problem.startswith("RuntimeError: disk said no (File ") and 'pipeline/table_files.py", line' in problem, problem
