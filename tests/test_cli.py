"""The `alliances` command as a user runs it, in a separate process."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import replace_in

ALLIANCES = str(Path(sys.executable).parent / "alliances")


def run(*args, env_home=None):
    env = {**os.environ, "DAGSTER_HOME": str(env_home)} if env_home else None
    return subprocess.run([ALLIANCES, *args], capture_output=True, text=True, env=env)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def test_validate_good_notes(small_raw):
    done = run("validate", "--raw", str(small_raw))
    assert done.returncode == 0, done.stderr
    assert "memberships 4 rows" in done.stdout and "treaties 1 row," in done.stdout


def test_version_names_the_code():
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("alliances ") and "releases carry their own versions" in done.stdout


def test_validate_names_file_and_line_and_publishes_nothing(small_raw, tmp_path):
    replace_in(small_raw / "treaties/test-pact.yaml", "joined: 1980-01-01", "joined: 1980-02-30")
    replace_in(small_raw / "programs/test-program.yaml", "us_state: MD", "us_state: XX")
    done = run("validate", "--raw", str(small_raw))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert any(line.startswith("raw/treaties/test-pact.yaml:") and "members.3.joined: 1980-02-30 is not a real date" in line for line in lines)
    assert any(line.startswith("raw/programs/test-program.yaml:") and "participants.0.us_state" in line for line in lines)
    assert "2 problem(s) found" in done.stderr


def test_build_then_broken_build_leaves_the_release_untouched(small_raw, tmp_path):
    outputs, home = tmp_path / "outputs", tmp_path / "dagster_home"
    first = run("build", "--raw", str(small_raw), "--outputs", str(outputs), env_home=home)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "1.0.0"
    before = tree_digest(outputs)

    replace_in(small_raw / "treaties/test-pact.yaml", "left: 1970-03-01", "left: 1950-03-01")
    broken = run("build", "--raw", str(small_raw), "--outputs", str(outputs), env_home=home)
    assert broken.returncode == 1
    assert "raw/treaties/test-pact.yaml:" in broken.stderr and "left (1950-03-01) is before joined (1960-01-01)" in broken.stderr
    assert "nothing was published" in broken.stderr
    assert tree_digest(outputs) == before

    listing = run("list", "--outputs", str(outputs))
    assert listing.returncode == 0
    assert listing.stdout.startswith("1.0.0  ") and "(latest)" in listing.stdout and "memberships 4" in listing.stdout


def test_build_reports_a_failed_table_check(small_raw, tmp_path):
    replace_in(small_raw / "claims/test-claims.yaml", "count: 3", "count: 4")
    done = run("build", "--raw", str(small_raw), "--outputs", str(tmp_path / "out"), env_home=tmp_path / "home")
    assert done.returncode == 1
    assert "raw/claims/test-claims.yaml:" in done.stderr and "says 4 members of test-pact on 1965-01-01, the tables give 3" in done.stderr
    assert not (tmp_path / "out" / "releases" / "index.json").exists()


def test_list_without_releases(tmp_path):
    done = run("list", "--outputs", str(tmp_path))
    assert done.returncode == 0 and "no releases yet" in done.stdout
