"""The Dagster code location: assets, checks, the build job and its daily schedule."""

import dagster as dg

from pipeline.assets import CHECKS, PANEL_ASSETS, TABLE_ASSETS, raw_notes, release
from pipeline.resources import Paths

ASSETS = [raw_notes, *TABLE_ASSETS, *PANEL_ASSETS, release]

build_job = dg.define_asset_job("build_release", selection=dg.AssetSelection.all(), description="Read the notes, check the tables, publish a release if the content changed.")

daily_refresh = dg.ScheduleDefinition(name="daily_refresh", job=build_job, cron_schedule="0 4 * * *", execution_timezone="UTC")

defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=CHECKS,
    jobs=[build_job],
    schedules=[daily_refresh],
    resources={"paths": Paths()},
    # NOTE: the data is small; the multiprocess executor re-imports everything per step
    # (seconds each), so runs execute in one process unless a deployment says otherwise.
    executor=dg.in_process_executor,
)
