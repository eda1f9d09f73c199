"""Configuration the Dagster assets share: where notes are read and releases written."""

from pathlib import Path

import dagster as dg

from pipeline import settings


class Paths(dg.ConfigurableResource):
    """Folders of the build: notes, outputs, and fsspec URLs to mirror releases to.

    Defaults: the project's raw/ and outputs/, no mirrors (or ALLIANCES_RAW,
    ALLIANCES_OUTPUTS and ALLIANCES_MIRRORS, a space-separated list of URLs).
    """

    raw_dir: str = str(settings.raw_dir())
    outputs_dir: str = str(settings.outputs_dir())
    mirrors: list[str] = settings.mirrors()

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir)

    @property
    def outputs_path(self) -> Path:
        return Path(self.outputs_dir)
