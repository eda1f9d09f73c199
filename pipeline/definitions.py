"""The Dagster code location: assets, checks, the build job, its daily schedule and the
sensor that runs it when the notes change."""

import os

import dagster as dg

from pipeline import inputs, settings
from pipeline.assets import core_tables, derived_tables, raw_notes, release
from pipeline.resources import Paths

ASSETS = [raw_notes, core_tables, derived_tables, release]

build_job = dg.define_asset_job("build_release", selection=dg.AssetSelection.all(), description="Read the notes, check the tables, publish a release if the content changed.")

@dg.schedule(name="daily_refresh", job=build_job, cron_schedule="0 4 * * *", execution_timezone="UTC",
             description="Runs the build daily; skips the run (no process, no imports) when the notes, code and libraries are those of the latest release.")
def daily_refresh(context: dg.ScheduleEvaluationContext):
    if latest := inputs.unchanged_release(settings.outputs_dir(), inputs.inputs_hash(settings.raw_dir())):
        return dg.SkipReason(inputs.unchanged_reason(latest))
    return dg.RunRequest()


@dg.sensor(job=build_job, minimum_interval_seconds=30, description="Runs the build when any file in raw/ changes.")
def notes_changed(context: dg.SensorEvaluationContext):
    fingerprint = inputs.notes_hash(settings.raw_dir())
    if fingerprint == context.cursor:
        return dg.SkipReason("notes unchanged since the last run")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


def _executor_choice() -> str:
    return os.environ.get("ALLIANCES_EXECUTOR", "in_process")


def _executor() -> dg.ExecutorDefinition:
    """In one process unless ALLIANCES_EXECUTOR says multiprocess or k8s."""
    # NOTE: the data is small; the multiprocess executor re-imports everything per step
    # (seconds each), so runs execute in one process unless a deployment says otherwise.
    choice = _executor_choice()
    if choice == "multiprocess":
        return dg.multiprocess_executor
    if choice == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if choice != "in_process":
        raise ValueError(f"ALLIANCES_EXECUTOR={choice!r}: expected in_process, multiprocess or k8s")
    return dg.in_process_executor


defs = dg.Definitions(
    assets=ASSETS,
    jobs=[build_job],
    schedules=[daily_refresh],
    sensors=[notes_changed],
    # In one process, steps hand each other their values in memory: no pickling, no files.
    # A run therefore holds the whole graph (the job, or "Materialize all" in the UI).
    resources={"paths": Paths(), **({"io_manager": dg.InMemoryIOManager()} if _executor_choice() == "in_process" else {})},
    executor=_executor(),
)
