"""Running the build job in-process, and turning a failed run into curator-readable lines."""

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline import settings


@dataclass(frozen=True)
class RunReport:
    success: bool
    problems: list[str]
    release: dict


def dagster_home() -> Path:
    """DAGSTER_HOME, defaulting to the project-local .dagster/ (SQLite storage)."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.PROJECT_ROOT / ".dagster")))
    home.mkdir(parents=True, exist_ok=True)
    settings_file = home / "dagster.yaml"
    if not settings_file.exists():
        settings_file.write_text("# Project-local Dagster instance: SQLite storage in this folder; no telemetry, no newsletter prompt.\ntelemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    return home


def run_build(raw_dir: Path, outputs_dir: Path, mirrors: list[str]) -> RunReport:
    """Execute the `build_release` job once, in this process, recording the run in DAGSTER_HOME."""
    dagster_home()
    import dagster as dg

    # NOTE: when raw_notes emits nothing (inputs unchanged), every later step is skipped on
    # purpose, and Dagster warns for each blocking check that it gave no result.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)

    from pipeline.definitions import defs

    config = {
        "resources": {"paths": {"config": {"raw_dir": str(raw_dir), "outputs_dir": str(outputs_dir), "mirrors": mirrors}}},
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},  # the CLI prints each problem itself
    }
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def("build_release").execute_in_process(run_config=config, instance=instance, raise_on_error=False)
    problems, release = [], release_record(result)
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error.cls_name != "DagsterAssetCheckFailedError":  # its checks speak below
            error = event.step_failure_data.user_failure_data
            problems.append(error.description if error else _unexpected(event.step_failure_data.error))
            if error and (published := error.metadata.get("published")) and published.value:
                release = {"published": True, "version": published.value}  # before a mirror failed
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            problems.append(evaluation.metadata["problems"].value)
    return RunReport(result.success and not problems, problems, release)


def _unexpected(error) -> str:
    """A step's unforeseen exception as one line: the first exception under Dagster's
    wrappers and the project line it came from, so the CLI shows the cause, not the step."""
    while error.cause is not None and error.cls_name.startswith("Dagster"):
        error = error.cause
    frames = [f.strip().splitlines()[0] for f in error.stack]
    ours = [f for f in frames if any(f'"{settings.PROJECT_ROOT / package}/' in f for package in ("pipeline", "schemas"))] or frames
    return " ".join(error.message.split()) + (f" ({ours[-1]})" if ours else "")


def release_record(result) -> dict:
    """What a run recorded on the release asset: its materialization, or the observation
    left when the run stopped early; empty when the run failed before either."""
    import dagster as dg

    for event in result.all_events:
        if event.asset_key != dg.AssetKey("release"):
            continue
        if event.is_step_materialization:
            return {k: v.value for k, v in event.step_materialization_data.materialization.metadata.items()}
        if event.is_asset_observation:
            return {k: v.value for k, v in event.asset_observation_data.asset_observation.metadata.items()}
    return {}
