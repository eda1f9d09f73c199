"""The Stata copies: each table's .dta holds what its Parquet holds, labelled from the schema."""

import pandas as pd
import pytest

import schemas
from pipeline import stata_files, table_files


def _read_dta(path):
    with pd.io.stata.StataReader(path) as reader:
        return reader.read(), reader.variable_labels(), reader.data_label


def _as_stata_gives(df: pd.DataFrame) -> pd.DataFrame:
    """A published table as Stata holds it: null text empty, booleans 0/1, numbers as floats."""
    out = df.copy()
    for column in df.columns:
        if pd.api.types.is_string_dtype(df[column]):
            out[column] = df[column].fillna("")
        elif pd.api.types.is_bool_dtype(df[column]):
            out[column] = df[column].astype(int)
        elif pd.api.types.is_integer_dtype(df[column]):
            out[column] = df[column].astype(float)
    return out


def test_every_table_reads_back_from_stata_as_published(fixture_release):
    for name, table in schemas.TABLES.items():
        published = table_files.read_table(name, fixture_release)
        data, labels, data_label = _read_dta(fixture_release / f"{name}.dta")
        assert list(data.columns) == table.columns, name
        expected, got = _as_stata_gives(published), data.copy()
        for column in table.columns:
            if pd.api.types.is_datetime64_dtype(expected[column]):
                # %td, not a number (pandas converts no dates in a table without rows)
                assert pd.api.types.is_datetime64_dtype(got[column]) or got.empty, (name, column)
                expected[column], got[column] = expected[column].astype("datetime64[s]"), got[column].astype("datetime64[s]")
            else:
                got[column] = got[column].astype(expected[column].dtype)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)
        assert labels == {f.name: stata_files.label(f.description) for f in table.fields}, name
        assert data_label == stata_files.label(table.description)


def test_nulls_become_stata_missing_values(tmp_path):
    table = schemas.TABLES["program_participants"]
    row = {c: None for c in table.columns} | {"participant_id": "p", "program_id": "x", "country_iso3": "FRA", "country_name": "France", "unconfirmed": False}
    df = table_files.typed("program_participants", pd.DataFrame([row, row | {"participant_id": "q", "start_year": 1993}]))
    stata_files.write_dta("program_participants", df, tmp_path / "t.dta")
    data, _, _ = _read_dta(tmp_path / "t.dta")
    assert data["start_year"].isna().tolist() == [True, False] and data.loc[1, "start_year"] == 1993
    assert data["us_state"].tolist() == ["", ""] and data["unconfirmed"].tolist() == [0, 0]


def test_text_longer_than_a_stata_string_is_kept_whole(tmp_path):
    table = schemas.TABLES["suspensions"]
    long_note = "Quoted at length: " + "é" * 3000  # 6,000 bytes in UTF-8, past str2045
    row = {c: None for c in table.columns} | {"treaty_id": "t", "suspended_by": "USA", "suspended_toward": "NZL", "note": long_note,
                                              "started": "1986-01-01", "started_precision": "year", "unconfirmed": True}
    df = table_files.typed("suspensions", pd.DataFrame([row]).astype({"started": "datetime64[ns]", "ended": "datetime64[ns]"}))
    stata_files.write_dta("suspensions", df, tmp_path / "s.dta")
    data, _, _ = _read_dta(tmp_path / "s.dta")
    assert data.loc[0, "note"] == long_note and data.loc[0, "started"] == pd.Timestamp("1986-01-01")


def test_the_same_table_gives_the_same_bytes(fixture_release, tmp_path):
    df = table_files.read_table("memberships", fixture_release)
    stata_files.write_dta("memberships", df, tmp_path / "again.dta")
    assert (tmp_path / "again.dta").read_bytes() == (fixture_release / "memberships.dta").read_bytes()
    with pd.io.stata.StataReader(tmp_path / "again.dta") as reader:
        assert reader.time_stamp == "01 Jan 2000 00:00"  # not the minute it was written


@pytest.mark.parametrize("text", [
    "Short enough.",
    "A description that runs on well past the eighty characters Stata allows in a variable label, so it is cut.",
    "x" * 200,
])
def test_labels_fit_stata_and_end_on_a_word(text):
    cut = stata_files.label(text)
    assert len(cut) <= stata_files.LABEL_LIMIT
    if len(text) <= stata_files.LABEL_LIMIT:
        assert cut == text
    else:
        assert cut.endswith("…") and text.startswith(cut[:-1].rstrip())
        assert " " not in text or text[len(cut) - 1] in " ,;:("  # cut where a word ended


def test_a_label_keeps_a_word_that_ends_at_the_limit():
    text = "x" * 78 + " and more"  # the word ends at character 78, and 78 + the ellipsis fit
    assert stata_files.label(text) == "x" * 78 + "…"
    assert stata_files.label("w" * 40 + " " + "y" * 38 + " more") == "w" * 40 + " " + "y" * 38 + "…"


def test_a_name_stata_refuses_stops_the_file(tmp_path, monkeypatch):
    """pandas would rename it (`in` to `_in`) and publish a file whose columns differ."""
    df = table_files.typed("coverage", pd.DataFrame({c: [] for c in schemas.TABLES["coverage"].columns}))
    monkeypatch.setattr(stata_files, "_stata_ready", lambda frame: frame.rename(columns={"region": "in"}))
    with pytest.raises(stata_files.StataNameError, match=r"coverage: columns Stata cannot name as published \(in +-> +_in\)"):
        stata_files.write_dta("coverage", df, tmp_path / "c.dta")
    assert not (tmp_path / "c.dta").exists()
