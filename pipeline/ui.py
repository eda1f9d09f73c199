"""`make ui`: the Dagster webserver and daemon for this project, started together and
stopped together. `python -m pipeline.ui [--port N]`.

NOTE: `dagster dev` ignores SIGINT and SIGTERM when started from a script, and its CLI now
points users to another tool. The two current server commands are run here instead, each
in its own process group; Ctrl-C or SIGTERM stops both groups, children included.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline import settings
from pipeline.runner import dagster_home

STOP_SECONDS = 20  # a group still running this long after SIGTERM is killed


def commands(port: int) -> list[list[str]]:
    bin_dir = Path(sys.executable).parent
    location = ["-m", "pipeline.definitions"]
    return [
        [str(bin_dir / "dagster-webserver"), *location, "-h", "127.0.0.1", "-p", str(port)],
        [str(bin_dir / "dagster-daemon"), "run", *location],
    ]


def _stop(groups: list[subprocess.Popen]) -> None:
    for process in groups:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_SECONDS
    for process in groups:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever of the group is left
        except ProcessLookupError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3000)
    port = parser.parse_args(argv).port
    dagster_home()
    import dagster as dg

    with dg.DagsterInstance.get():  # creates the SQLite storage once, before two servers race to create it
        pass
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    groups = [subprocess.Popen(command, cwd=settings.PROJECT_ROOT, start_new_session=True) for command in commands(port)]
    print(f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={os.environ['DAGSTER_HOME']}); Ctrl-C stops it", flush=True)
    try:
        while not stopping and all(process.poll() is None for process in groups):
            time.sleep(0.2)
    finally:
        _stop(groups)
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
