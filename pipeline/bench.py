"""The benchmark: what a build costs as the data grows, against the floor (bench_floor.py).

Every measurement runs in its own process, so wall time and peak memory (that process's
maximum resident set size, from wait4) are those of one command as a user would run it.
"""

import json
import os
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


def measure(command: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak resident bytes and standard output of one command.

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
    return wall, usage.ru_maxrss * 1024, out


def _change_one_note(raw: Path) -> None:
    """Rename one treaty: a one-row change that every table downstream must see."""
    note = raw / "treaties" / "t0-0.yaml"
    note.write_text(note.read_text(encoding="utf-8").replace("name: Synthetic treaty", "name: Renamed synthetic treaty", 1), encoding="utf-8")


def bench_scale(scale: int, workdir: Path) -> dict:
    """Every measurement and the stage times at one scale."""
    raw = write_corpus(workdir / f"raw-{scale}", scale)
    python, alliances = sys.executable, str(Path(sys.executable).parent / "alliances")
    env = {**os.environ, "DAGSTER_HOME": str(workdir / f"dagster-{scale}")}
    outputs = workdir / f"outputs-{scale}"
    build = [alliances, "build", "--raw", str(raw), "--outputs", str(outputs)]
    figures = {}
    figures["floor"] = measure([python, "-m", "pipeline.bench_floor", str(raw), str(workdir / f"floor-{scale}")])
    figures["full_build"] = measure(build, env)
    figures["unchanged_rebuild"] = measure(build, env)
    _change_one_note(raw)
    figures["one_note_changed"] = measure(build, env)
    figures["load_all"] = measure([python, "-c", f"import pipeline; pipeline.load_all(source={str(outputs)!r})"])
    stages = json.loads(measure([python, "-c", _STAGES, str(raw), str(workdir / f"stages-{scale}")])[2])
    floor = figures["floor"][0]
    return {
        "measurements": {name: {"wall_seconds": round(wall, 3), "peak_bytes": peak, "ratio_to_floor": round(wall / floor, 2)} for name, (wall, peak, _) in figures.items()},
        "stages_seconds": stages,
    }


def report(scale: int, result: dict) -> str:
    """One scale's figures as a text table, with its stage times."""
    lines = [f"scale {scale}x", f"  {'measurement':20s} {'wall s':>9s} {'peak MB':>9s} {'x floor':>8s}"]
    for name, m in result["measurements"].items():
        lines.append(f"  {name:20s} {m['wall_seconds']:9.2f} {m['peak_bytes'] / 2**20:9.0f} {m['ratio_to_floor']:8.2f}")
    lines.append("  stages (plain functions, seconds): " + ", ".join(f"{k} {v:.2f}" for k, v in result["stages_seconds"].items()))
    return "\n".join(lines)


def growth(results: dict[int, dict]) -> list[str]:
    """How the full build's time grows from each scale to the next."""
    scales = sorted(results)
    wall = {s: results[s]["measurements"]["full_build"]["wall_seconds"] for s in scales}
    return [f"full build {a}x -> {b}x: time x{wall[b] / wall[a]:.1f} for data x{b // a}" for a, b in zip(scales, scales[1:])]


def run(scales: list[int], json_path: Path | None, workdir: Path | None = None) -> dict[int, dict]:
    """Benchmark each scale in turn, printing figures as they come."""
    with tempfile.TemporaryDirectory(prefix="alliances-bench-") as temporary:
        results = {}
        for scale in scales:
            results[scale] = bench_scale(scale, workdir or Path(temporary))
            print(report(scale, results[scale]), flush=True)
    for line in growth(results):
        print(line)
    if json_path:
        json_path.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=2) + "\n")
    return results
