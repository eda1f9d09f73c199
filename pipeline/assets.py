"""Dagster assets and asset checks: thin wrappers around the functions in build.py.

Asset names: `raw_notes` (the parsed notes), one asset per published table (named after
the table), and `release`. Every table has a blocking schema check; the cross-table
checks are blocking too, so a failure stops the release.
"""

import dataclasses
import datetime as dt

import dagster as dg
import pandas as pd

import schemas
from pipeline import build, coverage, inputs, mirror, panels, release_docs, releases, statehood, tables, validation
from pipeline.notes import Notes, NotesInvalid, read_notes
from pipeline.resources import Paths

GROUP = "alliances"


def _problems_metadata(problems) -> dict:
    return {"problems": dg.MetadataValue.text("\n".join(str(p) for p in problems)), "problem_count": len(problems)}


@dg.asset(group_name=GROUP, output_required=False, description="Every curated note in raw/, parsed and validated. Emits nothing, so nothing downstream runs, when the notes, code and libraries are those of the latest release.")
def raw_notes(context: dg.AssetExecutionContext, paths: Paths):
    digest = inputs.inputs_hash(paths.raw_path)
    if skipped := build.unchanged_outcome(paths.outputs_path, digest):
        mirror.sync_mirrors(paths.outputs_path, paths.mirrors)
        context.log_event(dg.AssetObservation(asset_key="release", metadata={
            "version": "none (unchanged)", "published": False, "reason": skipped.reason,
            "content_hash": skipped.content_hash, "inputs_hash": digest,
        }))
        return
    try:
        notes = dataclasses.replace(read_notes(paths.raw_path), inputs_hash=digest)
    except NotesInvalid as invalid:
        raise dg.Failure(description=str(invalid), metadata=_problems_metadata(invalid.problems)) from None
    year_ago = dt.date.today() - dt.timedelta(days=365)
    stale = [n.path for n in [*notes.treaties, *notes.programs, *notes.claims, *notes.cow_overrides] if n.model.last_reviewed < year_ago]
    for path in stale:
        context.log.warning(f"{path} was last reviewed over a year ago")
    yield dg.Output(notes, metadata={
        "treaties": len(notes.treaties), "programs": len(notes.programs),
        "claims": sum(len(n.model.claims) for n in notes.claims),
        "not_reviewed_for_a_year": ", ".join(stale) or "none", "inputs_hash": digest,
    })


def _table_metadata(df: pd.DataFrame) -> dict:
    return {"dagster/row_count": len(df), "unconfirmed_rows": int(df["unconfirmed"].sum()) if "unconfirmed" in df else 0}


@dg.asset(group_name=GROUP, description=schemas.TABLES["countries"].description)
def countries(context: dg.AssetExecutionContext, raw_notes: Notes) -> pd.DataFrame:
    df = tables.countries_table(raw_notes)
    context.add_output_metadata(_table_metadata(df))
    return df


def _notes_table(name: str, make):
    @dg.asset(name=name, group_name=GROUP, description=schemas.TABLES[name].description)
    def _asset(context: dg.AssetExecutionContext, raw_notes: Notes) -> pd.DataFrame:
        df = make(raw_notes)
        context.add_output_metadata(_table_metadata(df))
        return df

    return _asset


def _coded_table(name: str, make):
    """A table whose rows carry COW codes, so it reads the countries table too."""
    @dg.asset(name=name, group_name=GROUP, description=schemas.TABLES[name].description)
    def _asset(context: dg.AssetExecutionContext, raw_notes: Notes, countries: pd.DataFrame) -> pd.DataFrame:
        df = make(raw_notes, countries)
        context.add_output_metadata(_table_metadata(df))
        return df

    return _asset


TABLE_ASSETS = [
    countries,
    _notes_table("treaties", tables.treaties_table),
    _coded_table("memberships", tables.memberships_table),
    _notes_table("suspensions", tables.suspensions_table),
    _notes_table("programs", tables.programs_table),
    _coded_table("program_participants", tables.participants_table),
    _notes_table("program_activities", tables.activities_table),
    _notes_table("peer_decisions", tables.peer_decisions_table),
]


def _schema_check(name: str):
    @dg.asset_check(asset=name, name=f"{name}_schema", blocking=True, description=f"{name} passes its pandera schema (all failures collected).")
    def _check(df: pd.DataFrame) -> dg.AssetCheckResult:
        problems = validation.schema_problems(name, df)
        return dg.AssetCheckResult(passed=not problems, metadata=_problems_metadata(problems))

    return _check


_OTHER_TABLES = {name: dg.AssetIn(name) for name in ("countries", "treaties", "suspensions", "programs", "program_participants", "program_activities", "peer_decisions")}


@dg.asset_check(asset="memberships", name="foreign_keys", blocking=True, additional_ins=_OTHER_TABLES,
                description="Every treaty, program and country a row points at exists.")
def foreign_keys_check(countries: pd.DataFrame, treaties: pd.DataFrame, memberships: pd.DataFrame, suspensions: pd.DataFrame,
                       programs: pd.DataFrame, program_participants: pd.DataFrame, program_activities: pd.DataFrame,
                       peer_decisions: pd.DataFrame) -> dg.AssetCheckResult:
    problems = validation.foreign_key_problems(dict(
        countries=countries, treaties=treaties, memberships=memberships, suspensions=suspensions, programs=programs,
        program_participants=program_participants, program_activities=program_activities, peer_decisions=peer_decisions))
    return dg.AssetCheckResult(passed=not problems, metadata=_problems_metadata(problems))


@dg.asset_check(asset="memberships", name="source_claims", blocking=True,
                additional_ins={"raw_notes": dg.AssetIn("raw_notes"), "treaties": dg.AssetIn("treaties"), "programs": dg.AssetIn("programs"),
                                "program_participants": dg.AssetIn("program_participants")},
                description="Counts stated by sources agree with the tables on the source's date, or the mismatch is explained.")
def source_claims_check(raw_notes: Notes, treaties: pd.DataFrame, memberships: pd.DataFrame, programs: pd.DataFrame,
                        program_participants: pd.DataFrame) -> dg.AssetCheckResult:
    results = validation.claim_results(raw_notes, dict(treaties=treaties, memberships=memberships, programs=programs, program_participants=program_participants))
    problems = validation.claim_problems(results)
    rows = "\n".join(f"| {r['claim']} | {r['as_of']} | {r['claimed']} | {r['computed']} | {r['explanation'] or ''} |" for r in results)
    return dg.AssetCheckResult(passed=not problems, metadata={
        **_problems_metadata(problems),
        "claims": dg.MetadataValue.md("| claim | as of | claimed | computed | explanation |\n|---|---|---|---|---|\n" + rows),
    })


@dg.asset(group_name=GROUP, description=schemas.TABLES["dyad_year"].description)
def dyad_year(context: dg.AssetExecutionContext, raw_notes: Notes, countries: pd.DataFrame, treaties: pd.DataFrame,
              memberships: pd.DataFrame, suspensions: pd.DataFrame) -> pd.DataFrame:
    df = panels.dyad_year(memberships, treaties, suspensions, countries, tables.cow_periods(raw_notes), dt.date.today().year)
    context.add_output_metadata(_table_metadata(df))
    return df


@dg.asset(group_name=GROUP, description=schemas.TABLES["country_year"].description)
def country_year(context: dg.AssetExecutionContext, raw_notes: Notes, countries: pd.DataFrame, treaties: pd.DataFrame,
                 memberships: pd.DataFrame, dyad_year: pd.DataFrame, program_participants: pd.DataFrame,
                 program_activities: pd.DataFrame) -> pd.DataFrame:
    year = dt.date.today().year
    df = panels.country_year(memberships, treaties, dyad_year, program_participants, program_activities, countries,
                             tables.cow_periods(raw_notes), year, statehood.system_years(raw_notes.states, year))
    context.add_output_metadata(_table_metadata(df))
    return df


@dg.asset(name="coverage", group_name=GROUP, description=schemas.TABLES["coverage"].description)
def coverage_asset(context: dg.AssetExecutionContext, countries: pd.DataFrame, treaties: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    df = coverage.coverage_table(treaties, memberships, countries)
    context.add_output_metadata(_table_metadata(df))
    return df


PANEL_ASSETS = [dyad_year, country_year, coverage_asset]

_QUOTED_TABLES = ("treaties", "suspensions", "programs", "program_participants", "program_activities")


@dg.asset_check(asset="memberships", name="quotes_state_values", blocking=False, additional_ins={n: dg.AssetIn(n) for n in _QUOTED_TABLES},
                description="Each row's quote states its date and names its country (reported with the share, never blocking).")
def quotes_state_values_check(memberships: pd.DataFrame, treaties: pd.DataFrame, suspensions: pd.DataFrame, programs: pd.DataFrame,
                              program_participants: pd.DataFrame, program_activities: pd.DataFrame) -> dg.AssetCheckResult:
    tables = dict(treaties=treaties, memberships=memberships, suspensions=suspensions, programs=programs,
                  program_participants=program_participants, program_activities=program_activities)
    gaps = validation.quote_gaps(tables)
    return dg.AssetCheckResult(passed=not gaps, severity=dg.AssetCheckSeverity.WARN, metadata={
        "share": release_docs.quote_share(release_docs.quote_summary(tables)), "rows_lacking": len(gaps),
        "rows": dg.MetadataValue.text("\n".join(str(g) for g in gaps)),
    })


BLOCKING_CHECKS = [_schema_check(name) for name in schemas.TABLES] + [foreign_keys_check, source_claims_check]
CHECKS = [*BLOCKING_CHECKS, quotes_state_values_check]


@dg.asset(group_name=GROUP, description="Publishes a new immutable release when the content changed; records the decision either way.")
def release(context: dg.AssetExecutionContext, paths: Paths, raw_notes: Notes, countries: pd.DataFrame, treaties: pd.DataFrame,
            memberships: pd.DataFrame, suspensions: pd.DataFrame, programs: pd.DataFrame, program_participants: pd.DataFrame,
            program_activities: pd.DataFrame, peer_decisions: pd.DataFrame, country_year: pd.DataFrame, dyad_year: pd.DataFrame,
            coverage: pd.DataFrame) -> None:
    built = dict(countries=countries, treaties=treaties, memberships=memberships, suspensions=suspensions, programs=programs,
                 program_participants=program_participants, program_activities=program_activities, peer_decisions=peer_decisions,
                 country_year=country_year, dyad_year=dyad_year, coverage=coverage)
    try:
        outcome = build.publish(paths.outputs_path, raw_notes, built, paths.mirrors, raw_notes.inputs_hash)
    except releases.PublishError as refused:
        raise dg.Failure(description=str(refused), metadata={"published": refused.published or ""}) from None
    context.add_output_metadata({
        "blocking_checks_passed": len(BLOCKING_CHECKS),
        "mirrors": ", ".join(paths.mirrors) or "none",
        "version": outcome.version or "none (unchanged)",
        "bump": outcome.bump,
        "reason": outcome.reason,
        "content_hash": outcome.content_hash,
        "published": outcome.version is not None,
        **{f"rows/{name}": len(df) for name, df in built.items()},
    })
