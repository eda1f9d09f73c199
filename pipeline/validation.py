"""Checks on built tables: each table against its schema, and the tables against each other.

Checks that need only one note run when the note is read (notes.py); checks here see
whole tables. Every problem names the note file and line where the row is defined.
"""

import pandas as pd
import pandera.errors

import schemas
from pipeline.notes import Notes, Problem
from pipeline.tables import LINE


def _located(df: pd.DataFrame, index, field: str, message: str) -> Problem:
    if LINE in df.columns and index is not None and not pd.isna(index) and index in df.index:
        return Problem(df.at[index, "source_note"], int(df.at[index, LINE]), field, message)
    return Problem("raw/", 0, field, f"{message} (row {index} of the derived table)" if index is not None else message)


def schema_problems(table: str, df: pd.DataFrame) -> list[Problem]:
    """Every row that breaks the table's pandera schema, lazily collected; none for a table
    reused from a release (reuse.py), which passed this check, by the same code, when published."""
    if df.attrs.get("reused_from"):
        return []
    try:
        schemas.TABLES[table].model.validate(df.drop(columns=[LINE], errors="ignore"), lazy=True)
    except pandera.errors.SchemaErrors as errors:
        problems = []
        for case in errors.failure_cases.itertuples():
            column = case.column if isinstance(case.column, str) else "row"
            message = f"{case.check} failed for {case.failure_case!r}" if case.failure_case is not None else str(case.check)
            problems.append(_located(df, case.index, f"{table}.{column}", message))
        return problems
    return []


def foreign_key_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rows whose foreign keys point at no row of the referenced table."""
    problems = []
    for table in schemas.TABLES.values():
        if table.name not in tables:
            continue
        df = tables[table.name]
        for column, (target, target_column) in table.foreign_keys.items():
            missing = df[column].notna() & ~df[column].isin(tables[target][target_column])
            for index, value in df.loc[missing, column].items():
                problems.append(_located(df, index, f"{table.name}.{column}", f"{value!r} is not a {target}.{target_column}"))
    return problems


def count_on(tables: dict[str, pd.DataFrame], subject: str, measure: str, as_of, excluding: list[str]) -> int:
    """Members of a treaty on a date, or partnerships of a program in that date's year."""
    day = pd.Timestamp(as_of)
    if measure == "members":
        df = tables["memberships"]
        active = (df.treaty_id == subject) & (df.joined <= day) & (df.left.isna() | (df.left > day))
        key = "country_iso3"
    else:
        df = tables["program_participants"]
        active = (df.program_id == subject) & (df.start_year <= day.year) & (df.end_year.isna() | (df.end_year >= day.year))
        key = "participant_id"
    return int(df.loc[active & ~df.country_iso3.isin(excluding), key].nunique())


def claim_results(notes: Notes, tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Each sourced count claim, with the count the tables give on its date."""
    subjects = {"members": set(tables["treaties"].treaty_id), "participants": set(tables["programs"].program_id)}
    results = []
    for note in notes.claims:
        for i, claim in enumerate(note.model.claims):
            known = claim.subject in subjects[claim.measure]
            computed = count_on(tables, claim.subject, claim.measure, claim.as_of, claim.excluding) if known else None
            results.append({
                "claim": claim.id, "path": note.path, "line": note.line("claims", i), "subject": claim.subject,
                "measure": claim.measure, "as_of": claim.as_of.isoformat(), "claimed": claim.count,
                "computed": computed, "explanation": claim.explanation,
            })
    return results


def claim_problems(results: list[dict]) -> list[Problem]:
    """Claims about unknown subjects, and unexplained mismatches, as problems."""
    problems = []
    for r in results:
        if r["computed"] is None:
            problems.append(Problem(r["path"], r["line"], "subject", f"claim {r['claim']!r} is about '{r['subject']}', which is not a known {'treaty' if r['measure'] == 'members' else 'program'}"))
        elif r["computed"] != r["claimed"] and not r["explanation"]:
            problems.append(Problem(r["path"], r["line"], "count", f"claim {r['claim']!r} says {r['claimed']} {r['measure']} of {r['subject']} on {r['as_of']}, the tables give {r['computed']}; correct the data or add an explanation"))
    return problems


def quote_gaps(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rows whose quote does not state their value, at the note line that defines them.
    Reported, never blocking: the fix is a better quote or `unconfirmed: true`."""
    found = []
    for name, df in tables.items():
        if "quote_gaps" in df.columns:
            gaps = df.loc[df["quote_gaps"].notna(), ["source_note", LINE, "quote_gaps"]]
            found += [Problem(path, int(line), f"{name}.quote_gaps", f"the quote does not state: {gap}") for path, line, gap in gaps.itertuples(index=False)]
    return found
