"""Dagster assets and asset checks: thin wrappers around the functions in build.py.

Asset names: `raw_notes` (the parsed notes), one asset per published table (named after
the table), and `release`. The tables come from two steps, `core_tables` and
`derived_tables`, each checking what it builds: every table has a blocking schema check,
and the cross-table checks are blocking too, so a failure stops the release.
"""

import dataclasses
import datetime as dt

import dagster as dg
import pandas as pd

import schemas
from pipeline import build, inputs, mirror, release_docs, releases, reuse, validation
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
        notes = dataclasses.replace(read_notes(paths.raw_path, build.note_cache(paths.outputs_path)), inputs_hash=digest)
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


def _result(name: str, problems, asset: str | None = None) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(asset_key=asset or name, check_name=f"{name}_schema" if asset is None else name, passed=not problems, metadata=_problems_metadata(problems))


def _schema_spec(name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(f"{name}_schema", asset=name, blocking=True, description=f"{name} passes its pandera schema (all failures collected).")


def _outs(names) -> dict[str, dg.AssetOut]:
    return {name: dg.AssetOut(group_name=GROUP, description=schemas.TABLES[name].description) for name in names}


CORE_TABLES = ("countries", "treaties", "memberships", "suspensions", "programs", "program_participants", "program_activities", "peer_decisions")
DERIVED_TABLES = ("dyad_year", "country_year", "coverage")
_QUOTED_TABLES = ("treaties", "memberships", "suspensions", "programs", "program_participants", "program_activities")

# NOTE: each step checks the tables it builds, in the same step: the checks show in the UI
# as ever, and a run has a few steps instead of one per table and check (every step and
# input is a row in the run's event log, which is most of what a small build costs).
CORE_CHECKS = [
    *(_schema_spec(name) for name in CORE_TABLES),
    dg.AssetCheckSpec("foreign_keys", asset="memberships", blocking=True, description="Every treaty, program and country a row points at exists."),
    dg.AssetCheckSpec("source_claims", asset="memberships", blocking=True, description="Counts stated by sources agree with the tables on the source's date, or the mismatch is explained."),
    dg.AssetCheckSpec("quotes_state_values", asset="memberships", description="Each row's quote states its date and names its country (reported with the share, never blocking)."),
]
DERIVED_CHECKS = [_schema_spec(name) for name in DERIVED_TABLES]
BLOCKING_CHECKS = [spec for spec in [*CORE_CHECKS, *DERIVED_CHECKS] if spec.blocking]


def _outputs(built: dict[str, pd.DataFrame]):
    for name, df in built.items():
        yield dg.Output(df, output_name=name, metadata=_table_metadata(df))
        yield _result(name, validation.schema_problems(name, df))


@dg.multi_asset(outs=_outs(CORE_TABLES), check_specs=CORE_CHECKS, description="The tables built straight from the notes, each checked against its schema, then across tables.")
def core_tables(raw_notes: Notes):
    built = build.core_tables(raw_notes)
    yield from _outputs(built)
    yield _result("foreign_keys", validation.foreign_key_problems(built), asset="memberships")
    results = validation.claim_results(raw_notes, built)
    claims = "\n".join(f"| {r['claim']} | {r['as_of']} | {r['claimed']} | {r['computed']} | {r['explanation'] or ''} |" for r in results)
    problems = validation.claim_problems(results)
    yield dg.AssetCheckResult(asset_key="memberships", check_name="source_claims", passed=not problems, metadata={
        **_problems_metadata(problems),
        "claims": dg.MetadataValue.md("| claim | as of | claimed | computed | explanation |\n|---|---|---|---|---|\n" + claims),
    })
    quoted = {name: built[name] for name in _QUOTED_TABLES}
    gaps = validation.quote_gaps(quoted)
    yield dg.AssetCheckResult(asset_key="memberships", check_name="quotes_state_values", passed=not gaps, severity=dg.AssetCheckSeverity.WARN, metadata={
        "share": release_docs.quote_share(release_docs.quote_summary(quoted)), "rows_lacking": len(gaps),
        "rows": dg.MetadataValue.text("\n".join(str(g) for g in gaps)),
    })


@dg.multi_asset(outs=_outs(DERIVED_TABLES), check_specs=DERIVED_CHECKS, description="The country-year and dyad-year panels and the coverage counts, from the checked core tables.")
def derived_tables(paths: Paths, raw_notes: Notes, countries: pd.DataFrame, treaties: pd.DataFrame, memberships: pd.DataFrame, suspensions: pd.DataFrame,
                   program_participants: pd.DataFrame, program_activities: pd.DataFrame):
    core = dict(countries=countries, treaties=treaties, memberships=memberships, suspensions=suspensions,
                program_participants=program_participants, program_activities=program_activities)
    yield from _outputs(build.derived_tables(raw_notes, core, dt.date.today().year, reuse.latest_release(paths.outputs_path)))


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
