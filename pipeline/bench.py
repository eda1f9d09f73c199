"""The benchmark: what a build costs as the data grows, against the floor (bench_floor.py).

Every measurement runs in its own process, so wall time, CPU time and peak memory (that
process's maximum resident set size, from wait4) are those of one command as a user would
run it. Each figure is the median of several runs, the floor's and the build's alternating.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.synthetic import write_corpus

_STAGES = """
import json, sys, time
from pathlib import Path
from pipeline import build, releases
from pipeline.notes import read_notes
raw, out = Path(sys.argv[1]), Path(sys.argv[2])
times, clock = {}, time.perf_counter()
def lap(name):
    global clock
    now = time.perf_counter(); times[name] = round(now - clock, 3); clock = now
notes = read_notes(raw); lap("reading notes")
core = build.core_tables(notes); lap("building tables")
derived = build.derived_tables(notes, core, 2026); lap("derived tables")
build.table_problems(notes, {**core, **derived}); lap("validation")
tables = build.publishable_tables({**core, **derived}); lap("typing and sorting")
releases.fingerprint(tables); lap("hashing")
releases.publish(out, tables, build.sources(notes)); lap("writing the release")
print(json.dumps(times))
"""


_READ_SPEED = """
import json, sys, time
import pandas as pd
import pipeline
folder = sys.argv[1]
pipeline.load("dyad_year", source=folder); pd.read_parquet(f"{folder}/dyad_year.parquet")  # warm: imports, page cache
load, floor = [], []
for _ in range(int(sys.argv[2])):
    started = time.process_time(); pipeline.load("dyad_year", source=folder); load.append(time.process_time() - started)
    started = time.process_time(); pd.read_parquet(f"{folder}/dyad_year.parquet"); floor.append(time.process_time() - started)
print(json.dumps({"load": load, "read_parquet": floor}))
"""


# A Dagster instance's SQLite storage is created (schema, migrations) by the first run on a
# machine; each repeat's builds get a fresh instance, made first and reported on its own.
_NEW_INSTANCE = """
import dagster as dg
from pipeline.runner import dagster_home
dagster_home()
with dg.DagsterInstance.get() as instance:
    instance.get_runs(limit=1)
"""


def measure(command: list[str], env: dict | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak resident bytes and standard output of one command.

    Raises:
        RuntimeError: the command failed; the message ends with its error output.
    """
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{errors.read()[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out


def _change_one_note(raw: Path, repeat: int) -> None:
    """Rename one treaty (and back on the next repeat): a one-row change every table downstream must see."""
    note = raw / "treaties" / "t0-0.yaml"
    names = ("name: Synthetic treaty", "name: Renamed synthetic treaty")
    old, new = names if repeat % 2 == 0 else names[::-1]
    note.write_text(note.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def bench_scale(scale: int, workdir: Path, repeats: int) -> dict:
    """Every measurement at one scale: the medians of `repeats` runs, the floor and the
    builds alternating so that a slow spell of the machine hits both alike."""
    raw = write_corpus(workdir / f"raw-{scale}", scale)
    python, alliances = sys.executable, str(Path(sys.executable).parent / "alliances")
    runs: dict[str, list[tuple[float, float, int, str]]] = {}
    for repeat in range(repeats):
        outputs, env = workdir / f"outputs-{scale}-{repeat}", {**os.environ, "DAGSTER_HOME": str(workdir / f"dagster-{scale}-{repeat}")}
        build = [alliances, "build", "--raw", str(raw), "--outputs", str(outputs)]
        runs.setdefault("new_dagster_instance", []).append(measure([python, "-c", _NEW_INSTANCE], env))
        runs.setdefault("floor", []).append(measure([python, "-m", "pipeline.bench_floor", str(raw), str(workdir / f"floor-{scale}-{repeat}")]))
        runs.setdefault("full_build", []).append(measure(build, env))
        runs.setdefault("unchanged_rebuild", []).append(measure(build, env))
        _change_one_note(raw, repeat)
        runs.setdefault("one_note_changed", []).append(measure(build, env))
        runs.setdefault("load_all", []).append(measure([python, "-c", f"import pipeline; pipeline.load_all(source={str(outputs)!r})"]))
    read = json.loads(measure([python, "-c", _READ_SPEED, str(outputs / "releases" / "1.1.0"), str(repeats)])[3])
    stages = json.loads(measure([python, "-c", _STAGES, str(raw), str(workdir / f"stages-{scale}")])[3])
    floor_cpu = _median([cpu for _, cpu, _, _ in runs["floor"]])
    floor_peak = statistics.median(peak for _, _, peak, _ in runs["floor"])
    instance = runs.pop("new_dagster_instance")
    measurements = {}
    for name, samples in runs.items():
        cpu, peak = _median([s[1] for s in samples]), int(statistics.median(s[2] for s in samples))
        measurements[name] = {
            "wall_seconds": _median([s[0] for s in samples]), "cpu_seconds": cpu, "peak_bytes": peak,
            "cpu_to_floor": round(cpu / floor_cpu, 2), "peak_to_floor": round(peak / floor_peak, 2), "samples": len(samples),
        }
    load, floor = _median(read["load"]), _median(read["read_parquet"])
    return {
        "measurements": measurements,
        "load_dyad_year": {"load_cpu_seconds": load, "read_parquet_cpu_seconds": floor, "ratio": round(load / floor, 2) if floor else None},
        "stages_seconds": stages,
        "new_dagster_instance_cpu_seconds": _median([cpu for _, cpu, _, _ in instance]),
    }


def report(scale: int, result: dict) -> str:
    """One scale's figures as a text table, with its stage times."""
    lines = [f"scale {scale}x (medians of {result['measurements']['floor']['samples']} runs)",
             f"  {'measurement':20s} {'wall s':>8s} {'CPU s':>8s} {'peak MB':>8s} {'CPU/floor':>10s} {'peak/floor':>11s}"]
    for name, m in result["measurements"].items():
        lines.append(f"  {name:20s} {m['wall_seconds']:8.2f} {m['cpu_seconds']:8.2f} {m['peak_bytes'] / 2**20:8.0f} {m['cpu_to_floor']:10.2f} {m['peak_to_floor']:11.2f}")
    read = result["load_dyad_year"]
    lines.append(f"  load('dyad_year') {read['load_cpu_seconds']:.3f} CPU s, pd.read_parquet {read['read_parquet_cpu_seconds']:.3f} CPU s: x{read['ratio']}")
    lines.append(f"  a new Dagster instance, made once per machine: {result['new_dagster_instance_cpu_seconds']:.2f} CPU s (not in the builds above)")
    lines.append("  stages (plain functions, seconds): " + ", ".join(f"{k} {v:.2f}" for k, v in result["stages_seconds"].items()))
    return "\n".join(lines)


def growth(results: dict[int, dict]) -> list[str]:
    """How the full build's CPU time grows from each scale to the next."""
    scales = sorted(results)
    cpu = {s: results[s]["measurements"]["full_build"]["cpu_seconds"] for s in scales}
    return [f"full build {a}x -> {b}x: CPU time x{cpu[b] / cpu[a]:.1f} for data x{b // a}" for a, b in zip(scales, scales[1:])]


def run(scales: list[int], json_path: Path | None, workdir: Path | None = None, repeats: int = 3) -> dict[int, dict]:
    """Benchmark each scale in turn, printing figures and rewriting the JSON as each scale finishes."""
    with tempfile.TemporaryDirectory(prefix="alliances-bench-") as temporary:
        results = {}
        for scale in scales:
            results[scale] = bench_scale(scale, workdir or Path(temporary), repeats)
            print(report(scale, results[scale]), flush=True)
            if json_path:
                json_path.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=2) + "\n")
    for line in growth(results):
        print(line)
    return results
