"""Stata copies of the published tables: `<table>.dta` (format 118, Stata 14 and later).

What Stata cannot hold as the other formats do is mapped here, once: a null text is an empty
string (Stata's missing string), a null integer or date is Stata's missing value `.`,
booleans are 0/1 bytes, and dates are daily dates (`%td`). Each variable is labelled from
its schema description and the dataset from its table's, cut to Stata's 80 characters
(the codebook has them whole). Text longer than a `str#` holds is stored as `strL`.
"""

import datetime
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

import schemas

LABEL_LIMIT = 80  # characters Stata allows in a variable or dataset label
# NOTE: pandas writes text cell by cell, and strL cells several times slower than str#
# (at the benchmark's 10x, strL for every text column over 32 bytes took 48 CPU s against
# 8), so strL is kept for text that no str# holds.
STR_LIMIT = 2045  # bytes a fixed-width Stata string holds; longer text becomes strL
# NOTE: Stata writes a time stamp into each file; a fixed one keeps the same table's
# bytes the same from one build to the next (the release records its own date).
TIME_STAMP = datetime.datetime(2000, 1, 1)


def label(text: str) -> str:
    """`text` cut to Stata's label length at a word boundary, marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= LABEL_LIMIT:
        return text
    return text[: LABEL_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "…"


def _stata_ready(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The table with null text as empty strings, and the text columns stored as strL."""
    columns, long_text = {}, []
    for name, column in df.items():
        if pd.api.types.is_string_dtype(column):
            column = column.fillna("")
            if (pc.max(pc.binary_length(pa.array(column))).as_py() or 0) > STR_LIMIT:
                long_text.append(name)
            column = column.astype(object)  # pandas writes Python strings many times faster than Arrow-backed ones
        columns[name] = column
    return pd.DataFrame(columns, copy=False), long_text


class StataNameError(ValueError):
    """A published column name Stata cannot hold, which pandas would silently rename."""


def write_dta(table: str, df: pd.DataFrame, path: Path) -> None:
    """Write a published table (schema columns and dtypes) to `path` as Stata 118.

    Raises:
        StataNameError: a column name is not a Stata variable name (at most 32 letters,
            digits and underscores, not a reserved word such as `in` or `long`).
    """
    model = schemas.TABLES[table]
    data, long_text = _stata_ready(df)
    dates = {c: "td" for c in df.columns if pd.api.types.is_datetime64_dtype(df[c])}
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.InvalidColumnName)
        try:
            data.to_stata(
                path, write_index=False, version=118, convert_dates=dates, convert_strl=long_text, time_stamp=TIME_STAMP,
                data_label=label(model.description), variable_labels={f.name: label(f.description) for f in model.fields},
            )
        except pd.errors.InvalidColumnName as renamed:
            path.unlink(missing_ok=True)
            replacements = [line.strip() for line in str(renamed).splitlines() if "->" in line]
            raise StataNameError(f"{table}: columns Stata cannot name as published ({'; '.join(replacements)})") from None
