"""The pipeline as plain functions: notes to tables, tables to checks, checks to a release.

The Dagster assets call these one step at a time; the CLI's `validate` calls them
without Dagster. Nothing here knows about Dagster.
"""

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline import coverage, inputs, mirror, panels, releases, reuse, settings, statehood, table_files, tables, validation
from pipeline.note_cache import NoteCache
from pipeline.notes import Notes, NotesInvalid, Problem, read_notes


def build_tables(notes: Notes, release_year: int | None = None, latest: tuple[Path, dict] | None = None) -> dict[str, pd.DataFrame]:
    """Every published table; the core ones carry the `_line` of the note row they come from."""
    core = core_tables(notes)
    return {**core, **derived_tables(notes, core, release_year or dt.date.today().year, latest)}


def core_tables(notes: Notes) -> dict[str, pd.DataFrame]:
    """The tables built straight from the notes."""
    countries = tables.countries_table(notes)
    return {
        "countries": countries,
        "treaties": tables.treaties_table(notes),
        "memberships": tables.memberships_table(notes, countries),
        "suspensions": tables.suspensions_table(notes),
        "programs": tables.programs_table(notes),
        "program_participants": tables.participants_table(notes, countries),
        "program_activities": tables.activities_table(notes),
        "peer_decisions": tables.peer_decisions_table(notes),
    }


def derived_tables(notes: Notes, core: dict[str, pd.DataFrame], release_year: int, latest: tuple[Path, dict] | None = None) -> dict[str, pd.DataFrame]:
    """The country-year and dyad-year panels and the coverage counts, from the checked core
    tables; each is taken from `latest` (reuse.latest_release) when its ingredients match."""
    periods, system = tables.cow_periods(notes), statehood.system_years(notes.states, release_year)
    keys = reuse.keys(core, periods, system, release_year)

    def derive(name: str, make) -> pd.DataFrame:
        found = reuse.reused(name, keys[name], latest)
        return make(reuse.ingredients(name, core)) if found is None else found

    dyads = derive("dyad_year", lambda f: panels.dyad_year(f["memberships"], f["treaties"], f["suspensions"], f["countries"], periods, release_year))
    countries = derive("country_year", lambda f: panels.country_year(f["memberships"], f["treaties"], dyads, f["program_participants"], f["program_activities"],
                                                                      f["countries"], periods, release_year, system))
    covered = derive("coverage", lambda f: coverage.coverage_table(f["treaties"], f["memberships"], f["countries"]))
    return {"country_year": countries, "dyad_year": dyads, "coverage": covered}


def derived_keys(notes: Notes, built: dict[str, pd.DataFrame], release_year: int) -> dict[str, str]:
    """The ingredients hashes a release records, for the next build to compare."""
    return reuse.keys(built, tables.cow_periods(notes), statehood.system_years(notes.states, release_year), release_year)


def table_problems(notes: Notes, built: dict[str, pd.DataFrame]) -> list[Problem]:
    """Schema, foreign-key and claim problems of the built tables."""
    problems = [p for name, df in built.items() for p in validation.schema_problems(name, df)]
    problems += validation.foreign_key_problems(built)
    problems += validation.claim_problems(validation.claim_results(notes, built))
    return problems


def sources(notes: Notes) -> list[dict]:
    """Each distinct source cited by any note, for the datapackage's `sources`."""
    seen: dict[str, dict] = {}
    for note in [*notes.treaties, *notes.programs, *notes.claims, *notes.cow_overrides]:
        for source in note.model.sources:
            seen.setdefault(source.url, {"title": source.title, "path": source.url})
    return sorted(seen.values(), key=lambda s: s["path"])


def note_cache(outputs_dir: Path | None) -> NoteCache | None:
    """Where a build that publishes into `outputs_dir` keeps the notes it parsed."""
    return NoteCache(outputs_dir / ".cache" / "notes", inputs.code_hash()) if outputs_dir else None


def validate(raw_dir: Path, outputs_dir: Path | None = None) -> tuple[Notes, dict[str, pd.DataFrame]]:
    """Read and check everything; publish nothing. With `outputs_dir`, unchanged notes come
    from the build's note cache and a derived table whose ingredients match the latest
    release is taken from it.

    Raises:
        NotesInvalid: with every problem found in the notes or the tables.
    """
    notes = read_notes(raw_dir, note_cache(outputs_dir))
    built = build_tables(notes, latest=reuse.latest_release(outputs_dir))
    problems = table_problems(notes, built)
    if problems:
        raise NotesInvalid(problems)
    return notes, built


def publishable_tables(built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: table_files.publishable(name, df) for name, df in built.items()}


def publish(outputs_dir: Path, notes: Notes, built: dict[str, pd.DataFrame], mirrors: list[str] = (), inputs_hash: str = "") -> releases.Outcome:
    """Publish checked tables when their content changed, then bring every mirror up to date."""
    ingredients = derived_keys(notes, built, dt.date.today().year)
    outcome = releases.publish(outputs_dir, publishable_tables(built), sources(notes), inputs_hash, ingredients, wait_seconds=settings.lock_wait_seconds())
    if notes.cache:
        notes.cache.save()
    mirror.sync_mirrors(outputs_dir, mirrors, outcome.version)
    return outcome


def unchanged_outcome(outputs_dir: Path, digest: str) -> releases.Outcome | None:
    """The outcome of a build whose notes, code and libraries match the latest release's."""
    latest = inputs.unchanged_release(outputs_dir, digest)
    if latest is None:
        return None
    return releases.Outcome(None, "none", inputs.unchanged_reason(latest), latest["content_hash"], None)


def build(raw_dir: Path, outputs_dir: Path, mirrors: list[str] = ()) -> releases.Outcome:
    """Validate the notes and publish a release when the content changed; stop early when
    nothing the release depends on changed."""
    digest = inputs.inputs_hash(raw_dir)
    if skipped := unchanged_outcome(outputs_dir, digest):
        mirror.sync_mirrors(outputs_dir, mirrors)
        return skipped
    notes, built = validate(raw_dir, outputs_dir)
    return publish(outputs_dir, notes, built, mirrors, digest)
