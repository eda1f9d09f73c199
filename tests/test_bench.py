"""A small run of the benchmark, so that it cannot rot; the figures themselves are not judged here."""

import json

from pipeline.build import validate
from pipeline.synthetic import LARGE_TREATIES, SMALL_TREATIES, write_corpus


def test_synthetic_corpus_is_valid_and_grows_with_the_scale(tmp_path):
    _, small = validate(write_corpus(tmp_path / "one", 1))
    _, large = validate(write_corpus(tmp_path / "two", 2))
    assert len(small["treaties"]) == SMALL_TREATIES + LARGE_TREATIES  # world scale: about as many as the notes hold
    assert 600 <= len(small["memberships"]) <= 1200 and len(small["program_participants"]) >= 100
    assert len(large["treaties"]) == 2 * len(small["treaties"]) and len(large["memberships"]) > 1.5 * len(small["memberships"])


def test_bench_smoke_run_reports_every_figure(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline import synthetic
    from pipeline.cli import main

    monkeypatch.setattr(synthetic, "SMALL_TREATIES", 8)  # a tenth of a unit: the measured commands still run for real
    monkeypatch.setattr(synthetic, "LARGE_TREATIES", 1)
    done = CliRunner().invoke(main, ["bench", "--scales", "1", "--repeats", "1", "--json", str(tmp_path / "bench.json"), "--workdir", str(tmp_path / "work")])
    assert done.exit_code == 0, done.output
    figures = json.loads((tmp_path / "bench.json").read_text())["1"]
    assert set(figures["measurements"]) == {"floor", "full_build", "unchanged_rebuild", "one_note_changed", "load_all"}
    for name, m in figures["measurements"].items():
        assert m["wall_seconds"] > 0 and m["cpu_seconds"] > 0 and m["peak_bytes"] > 10 * 2**20 and m["cpu_to_floor"] > 0 and m["samples"] == 1, name
    assert figures["load_dyad_year"]["load_cpu_seconds"] > 0 and figures["load_dyad_year"]["read_parquet_cpu_seconds"] > 0
    assert set(figures["stages_seconds"]) == {"reading notes", "building tables", "derived tables", "validation", "typing and sorting", "hashing", "writing the release"}
    assert figures["new_dagster_instance_cpu_seconds"] > 0
    assert "scale 1x" in done.output and "full_build" in done.output and "a new Dagster instance" in done.output
    index = json.loads((tmp_path / "work" / "outputs-1-0" / "releases" / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == ["1.0.0", "1.1.0"]  # the changed note gave a minor release


def test_the_floor_writes_the_tables_a_release_holds(small_raw, tmp_path):
    import pyarrow.parquet as pq

    import schemas
    from pipeline import bench_floor
    from pipeline.build import build

    release = build(small_raw, tmp_path / "out").path
    bench_floor.main(small_raw, tmp_path / "floor")
    for name in schemas.TABLES:
        floor, published = pq.read_table(tmp_path / "floor" / f"{name}.parquet"), pq.read_table(release / f"{name}.parquet")
        assert floor.equals(published), name
        for suffix in (".csv", ".dta"):
            assert (tmp_path / "floor" / f"{name}{suffix}").read_bytes() == (release / f"{name}{suffix}").read_bytes(), name
