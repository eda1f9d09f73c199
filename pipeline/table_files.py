"""Turning built tables into published files: column order, row order, dtypes, bytes.

The same tables always give the same bytes: rows are sorted by primary key, Parquet is
written without timestamps, CSV with fixed formats (both through pyarrow, which is fast),
Stata with a fixed time stamp (`stata_files`).
"""

import functools
import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

import schemas
from pipeline import stata_files
from pipeline.release_index import TABLE_FORMATS

_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_(), "date": pa.date32()}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable) for c in schemas.TABLES[table].fields]
    )


@functools.cache
def _dtypes(table: str) -> dict:
    return {name: column.dtype.type for name, column in schemas.TABLES[table].model.to_schema().columns.items()}


def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns, in its order, cast to its dtypes: what pandera's coercion gives,
    without its checks (a fraction of the time), for tables already checked."""
    return df[list(_dtypes(table))].astype(_dtypes(table))


def publishable(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The checked table as published: schema columns and dtypes, sorted by primary key."""
    out = typed(table, df)
    return out.sort_values(list(schemas.TABLES[table].primary_key), kind="stable").reset_index(drop=True)


def to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, schema=arrow_schema(table), preserve_index=False).replace_schema_metadata(None)


def csv_bytes(arrow: pa.Table) -> bytes:
    """CSV: header, dates YYYY-MM-DD, integers as integers, true/false, empty cell for null."""
    buffer = pa.BufferOutputStream()
    pa_csv.write_csv(arrow, buffer, pa_csv.WriteOptions(quoting_style="needed"))
    return buffer.getvalue().to_pybytes()


def writer_signature() -> str:
    """What a table's bytes depend on besides its content: these writers, the schemas, pyarrow and pandas.
    Equal signatures and equal table hashes give equal files, so a release may copy them."""
    digest = hashlib.sha256(f"{pa.__version__} {pd.__version__}".encode())
    for path in [Path(__file__), Path(stata_files.__file__), *sorted(Path(schemas.__file__).parent.glob("*.py"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def write_table(table: str, df: pd.DataFrame, folder: Path) -> None:
    """Write `<table>.csv`, `<table>.parquet` and `<table>.dta` into `folder`."""
    arrow = to_arrow(table, df)
    csv, parquet, dta = (folder / f"{table}{suffix}" for suffix in TABLE_FORMATS)
    csv.write_bytes(csv_bytes(arrow))
    pq.write_table(arrow, parquet, compression="zstd")
    stata_files.write_dta(table, df, dta)


_PANDAS_TYPES = {pa.string(): "str", pa.int64(): "Int64", pa.date32(): "datetime64[ns]"}


def _pandas_dtype(field: pa.Field) -> str:
    """The dtype the schemas give a column of this Arrow type (see `typed`)."""
    if field.type == pa.bool_():
        return "boolean" if field.nullable else "bool"
    return _PANDAS_TYPES[field.type]


def read_table(table: str, folder: Path, validate: bool = False) -> pd.DataFrame:
    """A published table read back with the schema's dtypes, taken from the file's own Arrow
    schema: a release published under an earlier schema reads as it was published.
    `validate` also runs the current schema's pandera checks (the build ran them before
    publishing, and SHA256SUMS vouches for the file)."""
    arrow = pq.read_table(folder / f"{table}.parquet")
    df = arrow.to_pandas()
    return schemas.TABLES[table].model.validate(df) if validate else df.astype({f.name: _pandas_dtype(f) for f in arrow.schema})


def table_hashes(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Per table, a hash of its column names and row values (rows in primary-key order).

    NOTE: pandas hashes each row to 8 bytes, so large tables are hashed without holding a
    second copy (e.g. their CSV text) in memory.
    """
    return {
        name: hashlib.sha256(json.dumps(list(df.columns)).encode() + pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()
        for name, df in sorted(tables.items())
    }
