"""Stata copies of the published tables: `<table>.dta` (format 118, Stata 14 and later).

What Stata cannot hold as the other formats do is mapped here, once: a null text is an empty
string (Stata's missing string), a null integer or date is Stata's missing value `.`,
booleans are 0/1 bytes, and dates are daily dates (`%td`). Each variable is labelled from
its schema description and the dataset from its table's, cut to Stata's 80 characters
(the codebook has them whole). Text longer than a `str#` holds (2,045 bytes) is `strL`,
as pandas chooses; asking for strL more widely costs more, as pandas writes it cell by cell
(strL for every text column over 32 bytes: 48 CPU s against 8 at the benchmark's 10x).
The bytes do not depend on the machine: little-endian, with a fixed time stamp.
"""

import datetime
import warnings
from pathlib import Path

import pandas as pd

import schemas

LABEL_LIMIT = 80  # characters Stata allows in a variable or dataset label
# NOTE: Stata writes a time stamp into each file; a fixed one keeps the same table's
# bytes the same from one build to the next (the release records its own date).
TIME_STAMP = datetime.datetime(2000, 1, 1)


def label(text: str) -> str:
    """`text` cut to Stata's label length at a word boundary, marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= LABEL_LIMIT:
        return text
    cut = text[: LABEL_LIMIT - 1]  # room for the ellipsis
    if text[LABEL_LIMIT - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]  # no word cut in half
    return cut.rstrip(" ,;:(") + "…"


def _stata_ready(df: pd.DataFrame) -> pd.DataFrame:
    """The table with null text as empty strings, as Python strings: pandas writes those many
    times faster than Arrow-backed ones (68 against 5.6 CPU s for dyad_year at 10x)."""
    return pd.DataFrame({
        name: column.fillna("").astype(object) if pd.api.types.is_string_dtype(column) else column for name, column in df.items()
    }, copy=False)


class StataNameError(ValueError):
    """A published column name Stata cannot hold, which pandas would silently rename."""


def write_dta(table: str, df: pd.DataFrame, path: Path) -> None:
    """Write a published table (schema columns and dtypes) to `path` as Stata 118.

    Raises:
        StataNameError: a column name is not a Stata variable name (at most 32 letters,
            digits and underscores, not a reserved word such as `in` or `long`).
    """
    model = schemas.TABLES[table]
    data = _stata_ready(df)
    dates = {c: "td" for c in df.columns if pd.api.types.is_datetime64_dtype(df[c])}
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.InvalidColumnName)
        try:
            data.to_stata(
                path, write_index=False, version=118, byteorder="little", convert_dates=dates, time_stamp=TIME_STAMP,
                data_label=label(model.description), variable_labels={f.name: label(f.description) for f in model.fields},
            )
        except pd.errors.InvalidColumnName as renamed:
            path.unlink(missing_ok=True)
            replacements = [line.strip() for line in str(renamed).splitlines() if "->" in line]
            raise StataNameError(f"{table}: columns Stata cannot name as published ({'; '.join(replacements)})") from None
