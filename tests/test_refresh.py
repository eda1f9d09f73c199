"""Refresh and robustness: schedule, sensor, mirrors, locks, killed builds, and the Dagster UI."""

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest
from filelock import FileLock

from conftest import PROJECT, replace_in
from pipeline.build import build
from pipeline.definitions import daily_refresh, defs, notes_changed

ALLIANCES = str(Path(sys.executable).parent / "alliances")
FORK = multiprocessing.get_context("fork")


def outputs_state(outputs: Path) -> dict:
    """Check what a reader relies on; return what an interrupted build may have left."""
    releases = outputs / "releases"
    index_path = releases / "index.json"
    if not index_path.exists():
        listed = []
    else:
        index = json.loads(index_path.read_text())  # must always parse
        listed = [r["version"] for r in index["releases"]]
        assert index["latest"] == (listed[-1] if listed else None)
    for version in listed:
        folder = releases / version
        for line in (folder / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, f"{version}/{name}"
    entries = [p.name for p in releases.iterdir()] if releases.exists() else []
    return {
        "listed": listed,
        "staging": [e for e in entries if e.startswith((".staging-", ".index.json."))],
        "unlisted": [e for e in entries if e[0].isdigit() and e not in listed],
    }


def _build_into(raw: Path, outputs: Path, said: Path | None) -> None:
    outcome = build(raw, outputs)
    if said:
        said.write_text(outcome.version or outcome.reason)


def forked_build(raw: Path, outputs: Path, said: Path | None = None):
    """`build` in a child forked from this process, which has imported the pipeline already:
    it writes the same files as `alliances build` without paying the imports each time, so
    many builds can be killed cheaply. The child writes its version (or reason) to `said`."""
    process = FORK.Process(target=_build_into, args=(raw, outputs, said))
    process.start()
    return process


def _timed_build(raw: Path, outputs: Path) -> tuple[float, float]:
    """Run one build, watching the releases folder: when staging began, and when it ended."""
    releases = outputs / "releases"
    started = time.monotonic()
    process = forked_build(raw, outputs)
    staging_seen = None
    while process.is_alive():
        if staging_seen is None and releases.exists() and any(p.name.startswith(".staging-") for p in releases.iterdir()):
            staging_seen = time.monotonic() - started
        time.sleep(0.005)
    assert process.exitcode == 0 and staging_seen is not None
    return staging_seen, time.monotonic() - started


def test_killing_builds_at_many_moments_never_breaks_the_outputs(small_raw, tmp_path):
    """On the purpose-built notes, so that builds stay short and the notes are the test's own."""
    outputs = tmp_path / "outputs"
    pact = small_raw / "treaties" / "test-pact.yaml"
    dates = iter(f"1981-{month:02d}-{day:02d}" for month in range(1, 13) for day in range(1, 29))
    current = "1980-01-01"

    def new_content():
        nonlocal current
        following = next(dates)
        replace_in(pact, f"joined: {current}", f"joined: {following}")  # so that every build publishes
        current = following

    _timed_build(small_raw, outputs)
    new_content()
    staging, finished = _timed_build(small_raw, outputs)
    # 6 moments before publishing, 10 spread over publishing itself (and just after it).
    moments = [staging * (i + 0.5) / 6 for i in range(6)] + [staging + (finished - staging) * (i + 0.5) / 10 for i in range(10)]
    outcomes = {"before publishing": 0, "while publishing": 0, "after publishing": 0}

    def kill_at(moment: float) -> None:
        new_content()
        before = outputs_state(outputs)["listed"]
        process = forked_build(small_raw, outputs)
        time.sleep(moment)
        process.kill()
        process.join()
        state = outputs_state(outputs)  # index valid, every listed release complete
        if state["staging"] or state["unlisted"]:
            outcomes["while publishing"] += 1
        elif state["listed"] != before:
            outcomes["after publishing"] += 1
        else:
            outcomes["before publishing"] += 1

    for moment in moments:
        kill_at(moment)
    # Build times drift (a cold start, a busy machine): aim again at a freshly measured
    # window until at least three kills have landed inside publishing.
    for _ in range(12):
        if outcomes["while publishing"] >= 3:
            break
        new_content()
        staging, finished = _timed_build(small_raw, outputs)
        kill_at((staging + finished) / 2)
    kills = sum(outcomes.values())
    print(f"\n{kills} kills (publishing window {staging:.2f}-{finished:.2f} s): {outcomes}")
    assert kills >= 16 and outcomes["while publishing"] >= 3

    final = forked_build(small_raw, outputs)
    final.join()
    assert final.exitcode == 0
    state = outputs_state(outputs)
    assert state["staging"] == [] and state["unlisted"] == [] and len(state["listed"]) >= 3


def test_killed_dagster_build_leaves_the_instance_usable(small_raw, tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    command = [ALLIANCES, "build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    process.send_signal(signal.SIGKILL)
    process.wait()
    outputs_state(tmp_path / "out")
    again = subprocess.run(command, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert outputs_state(tmp_path / "out")["listed"] == ["1.0.0"]


def test_two_builds_at_once_publish_one_release(small_raw, tmp_path):
    outputs = tmp_path / "out"
    said = [tmp_path / "first", tmp_path / "second"]
    processes = [forked_build(small_raw, outputs, path) for path in said]
    for process in processes:
        process.join()
    assert [p.exitcode for p in processes] == [0, 0]
    assert sorted(path.read_text() for path in said) == ["1.0.0", "content unchanged since 1.0.0"]
    assert outputs_state(outputs)["listed"] == ["1.0.0"]


def test_a_build_that_cannot_get_the_lock_says_so_and_publishes_nothing(small_raw, tmp_path):
    outputs = tmp_path / "out"
    (outputs / "releases").mkdir(parents=True)
    env = {**os.environ, "ALLIANCES_LOCK_WAIT": "1", "DAGSTER_HOME": str(tmp_path / "home")}
    with FileLock(outputs / "releases" / ".lock"):
        done = subprocess.run([ALLIANCES, "build", "--raw", str(small_raw), "--outputs", str(outputs)], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    releases = outputs / "releases"
    assert done.stderr.strip().splitlines() == [
        f"another build is publishing into {releases} (lock {releases / '.lock'} held for over 1 s)", "build failed: nothing was published"]
    assert outputs_state(outputs)["listed"] == []


def test_mirror_to_a_file_url_holds_verified_releases(small_raw, tmp_path):
    outputs, mirror = tmp_path / "out", tmp_path / "mirror"
    build(small_raw, outputs, mirrors=[mirror.as_uri()])
    replace_in(small_raw / "treaties" / "test-pact.yaml", "joined: 1980-01-01", "joined: 1980-02-01")
    build(small_raw, outputs, mirrors=[mirror.as_uri()])
    assert outputs_state(mirror)["listed"] == ["1.0.0", "1.1.0"]
    late = tmp_path / "late-mirror"
    assert build(small_raw, outputs, mirrors=[late.as_uri()]).version is None
    assert outputs_state(late)["listed"] == ["1.0.0", "1.1.0"]  # a new mirror catches up
    fetched = subprocess.run([ALLIANCES, "download", "latest", "--from", mirror.as_uri(), "--to", str(tmp_path / "dl")], capture_output=True, text=True)
    assert fetched.returncode == 0, fetched.stderr


def test_sensor_runs_the_build_when_notes_change(small_raw, monkeypatch):
    monkeypatch.setenv("ALLIANCES_RAW", str(small_raw))
    first = notes_changed(dg.build_sensor_context())
    assert isinstance(first, dg.RunRequest)
    unchanged = notes_changed(dg.build_sensor_context(cursor=first.run_key))
    assert isinstance(unchanged, dg.SkipReason)
    replace_in(small_raw / "programs" / "test-program.yaml", "start_year: 1993\n    end_year", "start_year: 1994\n    end_year")
    changed = notes_changed(dg.build_sensor_context(cursor=first.run_key))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key


def test_daily_schedule_runs_the_build_only_when_an_input_changed(small_raw, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCES_RAW", str(small_raw))
    monkeypatch.setenv("ALLIANCES_OUTPUTS", str(tmp_path / "out"))
    assert daily_refresh.job_name == "build_release" and daily_refresh.cron_schedule == "0 4 * * *"
    [request] = daily_refresh.evaluate_tick(dg.build_schedule_context()).run_requests
    assert isinstance(request, dg.RunRequest)
    build(small_raw, tmp_path / "out")
    tick = daily_refresh.evaluate_tick(dg.build_schedule_context())
    assert tick.run_requests == [] and tick.skip_message == "notes and code unchanged since 1.0.0"
    replace_in(small_raw / "treaties" / "test-pact.yaml", "joined: 1980-01-01", "joined: 1980-02-01")
    assert len(daily_refresh.evaluate_tick(dg.build_schedule_context()).run_requests) == 1


NOOP_BUILD = """
import sys
from click.testing import CliRunner
from pipeline.cli import main
result = CliRunner().invoke(main, ["build", "--raw", sys.argv[1], "--outputs", sys.argv[2]])
print(result.output.strip())
print(" ".join(m for m in ("dagster", "pandas", "pandera", "pyarrow") if m in sys.modules) or "none")
"""


def test_a_build_with_nothing_changed_stops_before_the_heavy_imports(small_raw, tmp_path):
    outputs = tmp_path / "out"
    build(small_raw, outputs)
    done = subprocess.run([sys.executable, "-c", NOOP_BUILD, str(small_raw), str(outputs)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["nothing published: notes and code unchanged since 1.0.0", "none"]
    replace_in(small_raw / "treaties" / "test-pact.yaml", "joined: 1980-01-01", "joined: 1980-02-01")
    changed = subprocess.run([sys.executable, "-c", NOOP_BUILD, str(small_raw), str(outputs)], capture_output=True, text=True,
                             env={**os.environ, "DAGSTER_HOME": str(tmp_path / "home")})
    assert changed.stdout.splitlines()[-2:] == ["1.1.0", "dagster pandas pandera pyarrow"], changed.stderr  # a changed note runs the pipeline


def test_runs_record_their_outcome_and_stale_notes(small_raw, tmp_path):
    from pipeline.assets import BLOCKING_CHECKS
    from pipeline.definitions import ASSETS
    from pipeline.resources import Paths
    from pipeline.runner import release_record

    replace_in(small_raw / "treaties" / "test-pact.yaml", "last_reviewed: 2026-01-01", "last_reviewed: 2020-01-01")
    resources = {"paths": Paths(raw_dir=str(small_raw), outputs_dir=str(tmp_path / "out"))}
    with dg.instance_for_test() as instance:
        first = dg.materialize(ASSETS, resources=resources, instance=instance)
        with open(small_raw / "treaties" / "test-pact.yaml", "a") as note:
            note.write("# reviewed again, nothing changed\n")
        second = dg.materialize(ASSETS, resources=resources, instance=instance)
        third = dg.materialize(ASSETS, resources=resources, instance=instance)
    [notes] = first.asset_materializations_for_node("raw_notes")
    assert notes.metadata["not_reviewed_for_a_year"].value == "raw/treaties/test-pact.yaml"
    published = release_record(first)
    assert published["published"] is True and published["version"] == "1.0.0" and published["rows/memberships"] == 4
    unchanged = release_record(second)
    assert unchanged["published"] is False and unchanged["reason"] == "content unchanged since 1.0.0"
    assert unchanged["blocking_checks_passed"] == len(BLOCKING_CHECKS) and unchanged["content_hash"] == published["content_hash"]
    skipped = release_record(third)
    assert skipped["published"] is False and skipped["reason"] == "notes and code unchanged since 1.0.0"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_with(variable: str) -> list[int]:
    """Pids of live processes whose environment holds `variable` (NAME=value)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            pass  # gone, or not ours to read
    return found


def test_ui_serves_the_assets_checks_schedule_and_sensor_and_stops_on_sigterm(tmp_path):
    port, home = _free_port(), f"DAGSTER_HOME={tmp_path}"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    ui = subprocess.Popen([sys.executable, "-m", "pipeline.ui", "--port", str(port)], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    query = "{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } repositoriesOrError { ... on RepositoryConnection { nodes { schedules { name cronSchedule } sensors { name } } } } }"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"})
                answer = json.load(urllib.request.urlopen(request, timeout=10))["data"]
                break
            except OSError:
                assert time.monotonic() < deadline, "the webserver did not answer within 90 s"
                time.sleep(1)
        running = _processes_with(home)
        assert len(running) >= 3  # the supervisor, the webserver (and its code server), the daemon
    finally:
        ui.send_signal(signal.SIGTERM)
        code = ui.wait(timeout=60)
    assert code == 0 and "Dagster UI on http://127.0.0.1:" in ui.stdout.read()
    assert _processes_with(home) == []  # every child stopped
    assert "nux:\n  enabled: false" in (tmp_path / "dagster.yaml").read_text()  # no newsletter prompt
    assets = {"/".join(node["assetKey"]["path"]) for node in answer["assetNodes"]}
    checks = {c["name"]: c["blocking"] for node in answer["assetNodes"] for c in node["assetChecksOrError"]["checks"]}
    [repository] = answer["repositoriesOrError"]["nodes"]
    assert assets == {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"memberships_schema", "dyad_year_schema", "foreign_keys", "source_claims"} <= set(checks)
    assert {name for name, blocking in checks.items() if not blocking} == {"quotes_state_values"}
    assert repository["schedules"] == [{"name": "daily_refresh", "cronSchedule": "0 4 * * *"}]
    assert repository["sensors"] == [{"name": "notes_changed"}]
