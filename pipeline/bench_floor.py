"""The floor for the benchmark: the work any correct build must do, called from a plain
script. It reads and checks the notes, builds every published table with the pipeline's
own functions (the same columns, codes and row order), and writes Parquet, CSV and Stata
files with the release's writers. It skips what a build adds on top: Dagster, the pandera
checks, the release's hashes, diff, documents, page and zip.
`python -m pipeline.bench_floor RAW OUT`."""

import sys
from pathlib import Path

import pandas as pd

from pipeline import build, table_files
from pipeline.notes import read_notes


def tables(raw: Path) -> dict[str, pd.DataFrame]:
    """Every published table, as a release holds it."""
    return build.publishable_tables(build.build_tables(read_notes(raw)))


def main(raw: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables(raw).items():
        table_files.write_table(name, df, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
