"""R reads a release the way the README shows: haven::read_dta (typed, labelled) and read.csv.

Needs `Rscript` with the haven package (Debian: r-base-core, r-cran-haven); skipped without
them unless ALLIANCES_REQUIRE_R=1, which CI sets so that the test runs there.
"""

import os
import shutil
import subprocess

import pandas as pd
import pytest

import schemas
from pipeline import stata_files, table_files

SCRIPT = r"""
library(haven)
args <- commandArgs(trailingOnly = TRUE)
folder <- args[1]; day <- as.Date(args[2])
for (table in strsplit(args[3], ",")[[1]]) {
  stata <- read_dta(file.path(folder, paste0(table, ".dta")))
  csv <- read.csv(file.path(folder, paste0(table, ".csv")), na.strings = "")
  cat(table, nrow(stata), ncol(stata), nrow(csv), ncol(csv), "\n")
}
memberships <- read_dta(file.path(folder, "memberships.dta"))
members <- subset(memberships, joined <= day & (is.na(left) | left > day))
cat("members", nrow(members), class(memberships$joined), "\n")
cat("label", attr(memberships$joined, "label"), "\n")
"""


def _rscript() -> str:
    found = shutil.which("Rscript")
    if found and subprocess.run([found, "-e", "library(haven)"], capture_output=True).returncode == 0:
        return found
    if os.environ.get("ALLIANCES_REQUIRE_R") == "1":
        pytest.fail("Rscript with the haven package is required here (ALLIANCES_REQUIRE_R=1)")
    pytest.skip("Rscript with the haven package is not installed")


def test_r_reads_every_table_and_its_dates(fixture_release, tmp_path):
    rscript = _rscript()
    day = "1970-06-01"
    script = tmp_path / "read.R"
    script.write_text(SCRIPT)
    done = subprocess.run([rscript, str(script), str(fixture_release), day, ",".join(schemas.TABLES)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line.split(maxsplit=1)[1].strip() for line in done.stdout.splitlines() if line.strip()}
    for name, table in schemas.TABLES.items():
        rows = len(table_files.read_table(name, fixture_release))
        assert lines[name] == f"{rows} {len(table.columns)} {rows} {len(table.columns)}", name
    memberships = table_files.read_table("memberships", fixture_release)
    on_day = pd.Timestamp(day)
    expected = ((memberships.joined <= on_day) & (memberships.left.isna() | (memberships.left > on_day))).sum()
    assert 0 < expected < len(memberships)  # the day tells members from non-members
    assert lines["members"] == f"{expected} Date"
    joined = next(f for f in schemas.TABLES["memberships"].fields if f.name == "joined")
    assert lines["label"] == stata_files.label(joined.description)
