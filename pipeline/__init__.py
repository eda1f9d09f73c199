"""The Alliances & Partnerships dataset: pipeline, releases and loader.

`pipeline.load`, `pipeline.load_all`, `pipeline.members_on` and `pipeline.partners_on`
read published releases; they are imported on first use so that the command line starts
without pandas.
"""


_LAZY = {"load": "loader", "load_all": "loader", "release_folder": "loader", "members_on": "queries", "partners_on": "queries"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"pipeline.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
