"""Turning built tables into published files: column order, row order, dtypes, bytes.

The same tables always give the same bytes: rows are sorted by primary key, Parquet is
written without timestamps, CSV with fixed formats.
"""

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import schemas
from pipeline.tables import LINE

_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_(), "date": pa.date32()}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable) for c in schemas.TABLES[table].fields]
    )


def publishable(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as published: schema columns and dtypes, sorted by primary key."""
    spec = schemas.TABLES[table]
    out = df.drop(columns=[LINE], errors="ignore")[spec.columns]
    out = spec.model.validate(out)
    return out.sort_values(list(spec.primary_key), kind="stable").reset_index(drop=True)


def csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n").encode("utf-8")


def write_table(table: str, df: pd.DataFrame, folder: Path) -> list[Path]:
    """Write `<table>.parquet` and `<table>.csv` into `folder`; return their paths."""
    arrow = pa.Table.from_pandas(df, schema=arrow_schema(table), preserve_index=False)
    arrow = arrow.replace_schema_metadata(None)
    parquet, csv = folder / f"{table}.parquet", folder / f"{table}.csv"
    pq.write_table(arrow, parquet, compression="zstd")
    csv.write_bytes(csv_bytes(df))
    return [parquet, csv]


def read_table(table: str, folder: Path) -> pd.DataFrame:
    """A published table read back with the schema's dtypes."""
    df = pq.read_table(folder / f"{table}.parquet").to_pandas()
    return schemas.TABLES[table].model.validate(df)
