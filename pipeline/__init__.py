"""The Alliances & Partnerships dataset: pipeline, releases and loader.

`pipeline.load` and `pipeline.load_all` read published releases; they are imported on
first use so that the command line starts without pandas.
"""


def __getattr__(name: str):
    if name in ("load", "load_all", "release_folder"):
        from pipeline import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
