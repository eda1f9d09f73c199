"""Configuration the Dagster assets share: where notes are read and releases written."""

from pathlib import Path

import dagster as dg

from pipeline import settings


class Paths(dg.ConfigurableResource):
    """Folders of the build; default to the project's raw/ and outputs/ (or ALLIANCES_RAW / ALLIANCES_OUTPUTS)."""

    raw_dir: str = str(settings.raw_dir())
    outputs_dir: str = str(settings.outputs_dir())

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir)

    @property
    def outputs_path(self) -> Path:
        return Path(self.outputs_dir)
