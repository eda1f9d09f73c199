"""The `alliances` command line. Heavy libraries are imported inside commands, so that
`--help`, `list` and `download` start fast."""

import json
import sys
from pathlib import Path

import click

from pipeline import settings


@click.group()
@click.version_option(package_name="alliances-dataset", message="%(prog)s %(version)s (the code; releases carry their own versions)")
def main() -> None:
    """Build, check and read the Alliances & Partnerships dataset."""


_raw_option = click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder of curated notes (default: the project's raw/).")
_source_option = click.option("--source", default=None, help="Releases folder or http(s) URL to read from (default: the project's outputs/releases).")
_outputs_option = click.option("--outputs", "outputs_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Where releases are published (default: the project's outputs/).")


@main.command()
@_raw_option
@_outputs_option
@click.option("--mirror", "mirrors", multiple=True, help="fsspec URL (file://, s3://, ...) to copy releases to; repeatable (default: ALLIANCES_MIRRORS).")
def build(raw_dir: Path | None, outputs_dir: Path | None, mirrors: tuple[str, ...]) -> None:
    """Run the pipeline and publish a release when the content changed; print the version."""
    import os
    import sqlite3

    from pipeline import inputs

    raw_dir, outputs_dir, mirrors = raw_dir or settings.raw_dir(), outputs_dir or settings.outputs_dir(), list(mirrors) or settings.mirrors()
    try:
        if latest := inputs.unchanged_release(outputs_dir, inputs.inputs_hash(raw_dir)):
            _sync_after_noop(outputs_dir, mirrors)
            click.echo(f"nothing published: {inputs.unchanged_reason(latest)}")
            return
        from pipeline.runner import run_build

        report = run_build(raw_dir, outputs_dir, mirrors)
    except OSError as error:
        from pipeline.problems import machine_error

        raise click.ClickException(machine_error(error, "cannot run the build")) from None
    except sqlite3.Error as error:  # Dagster's run records, in DAGSTER_HOME
        raise click.ClickException(f"cannot record the run in {os.environ.get('DAGSTER_HOME')}: {error}") from None
    if not report.success:
        for problem in report.problems:
            click.echo(problem, err=True)
        published = report.release.get("version") if report.release.get("published") else None
        click.echo(f"build failed after publishing {published} locally" if published else "build failed: nothing was published", err=True)
        sys.exit(1)
    if report.release.get("published"):
        click.echo(f"published {report.release['version']} ({report.release['bump']}: {report.release['reason']})")
        click.echo(report.release["version"])
    else:
        click.echo(f"nothing published: {report.release.get('reason')}")


def _sync_after_noop(outputs_dir: Path, mirrors: list[str]) -> None:
    """A mirror added since the last release still gets every release."""
    if not mirrors:
        return
    from pipeline.mirror import sync_mirrors
    from pipeline.release_index import PublishError

    try:
        sync_mirrors(outputs_dir, mirrors)
    except PublishError as failed:
        click.echo(str(failed), err=True)
        click.echo("build failed: nothing was published", err=True)
        sys.exit(1)


@main.command()
@_raw_option
@click.option("--quotes", "show_quotes", is_flag=True, help="Also list every row whose quote does not state its date or country.")
def validate(raw_dir: Path | None, show_quotes: bool) -> None:
    """Check the notes and tables; publish nothing. Lists every problem as file:line: message."""
    from pipeline import release_docs, validation
    from pipeline.build import validate as validate_notes
    from pipeline.notes import NotesInvalid

    try:
        _, built = validate_notes(raw_dir or settings.raw_dir())
    except NotesInvalid as invalid:
        for problem in invalid.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(invalid.problems)} problem(s) found", err=True)
        sys.exit(1)
    click.echo("notes are valid: " + ", ".join(f"{name} {release_docs.rows(len(df))}" for name, df in built.items()))
    summary = release_docs.quote_summary(built)
    lacking = sum(t["rows"] - t["stated"] for t in summary.values())
    click.echo(f"quotes state the row's date and country in {release_docs.quote_share(summary):.1%} of the rows; {lacking} row(s) lack something"
               + (" (--quotes lists them)" if lacking and not show_quotes else ""))
    if show_quotes:
        for gap in validation.quote_gaps(built):
            click.echo(str(gap))


@main.command("list")
@_outputs_option
@click.option("--json", "as_json", is_flag=True, help="Print the index as JSON.")
def list_releases(outputs_dir: Path | None, as_json: bool) -> None:
    """The releases, newest first, with their dates, row counts and bump reasons."""
    index_path = (outputs_dir or settings.outputs_dir()) / "releases" / "index.json"
    if not index_path.exists():
        click.echo(f"no releases yet in {index_path.parent}")
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    if as_json:
        click.echo(json.dumps(index, indent=2))
        return
    for entry in reversed(index["releases"]):
        latest = "  (latest)" if entry["version"] == index["latest"] else ""
        counts = ", ".join(f"{t} {n}" for t, n in entry["row_counts"].items())
        click.echo(f"{entry['version']}  {entry['created']}  {entry['bump']}: {entry['reason']}{latest}\n    {counts}")


@main.command()
@click.argument("old")
@click.argument("new")
@_source_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Markdown for people, JSON for programs.")
def diff(old: str, new: str, source: str | None, fmt: str) -> None:
    """Row-level differences between releases OLD and NEW (versions or 'latest')."""
    from pipeline import changes, loader
    from pipeline.download import DownloadError

    try:
        folders = [loader.release_folder(version, source) for version in (old, new)]
        tables = [loader.load_all(source=folder) for folder in folders]
    except (ValueError, FileNotFoundError, DownloadError) as error:
        raise click.ClickException(str(error)) from None
    old, new = (json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["version"] for folder in folders)  # 'latest' resolved
    found = changes.diff_tables(*tables)
    if fmt == "json":
        click.echo(json.dumps({"old": old, "new": new, "summary": changes.summary_counts(found), "tables": found}, indent=2))
    else:
        click.echo(changes.to_markdown(found, old, new), nl=False)


@main.command()
@click.argument("version")
@click.option("--from", "source", required=True, help="URL or folder of the releases (the one holding index.json).")
@click.option("--to", "destination", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to put the release in, as DIR/<version>/.")
def download(version: str, source: str, destination: Path) -> None:
    """Fetch release VERSION (or 'latest') and verify every file against SHA256SUMS."""
    from pipeline.download import DownloadError, download as fetch

    try:
        target = fetch(version, source, destination)
    except (ValueError, DownloadError, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"downloaded and verified {target}")


@main.command()
@click.option("--scales", default="1,10,100", show_default=True, help="Comma-separated multiples of a world-scale corpus (about 200 treaties, as the notes hold).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the figures as JSON.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Keep corpora and outputs here (default: a temporary folder).")
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(min=1), help="Runs per figure; the median is reported.")
def bench(scales: str, json_path: Path | None, workdir: Path | None, repeats: int) -> None:
    """Wall and CPU time and peak memory of builds, rebuilds and loads at growing scales, against a bare floor."""
    from pipeline.bench import run

    try:
        parsed = [int(s) for s in scales.split(",")]
    except ValueError:
        raise click.BadParameter(f"{scales!r} is not a comma-separated list of integers", param_hint="--scales") from None
    run(parsed, json_path, workdir, repeats)


@main.command()
@click.argument("peer_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--with", "with_country", default=None, help="Only the peer's alliances with this country as a member (ISO3, e.g. USA).")
@click.option("--release", "version", default=None, help="Compare a published release (version or 'latest') instead of the notes.")
@_source_option
@_raw_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the comparison as JSON.")
def compare(peer_file: Path, with_country: str | None, version: str | None, source: str | None, raw_dir: Path | None, json_path: Path | None) -> None:
    """Match a peer's file (ATOP 5.1 member or alliance level, COW 4.1 by member) to the
    dataset: per alliance and member, matched or not, and each date or obligation that differs."""
    from pipeline import compare as comparison, loader
    from pipeline.build import validate as validate_notes
    from pipeline.download import DownloadError
    from pipeline.notes import NotesInvalid
    from pipeline.peer_files import PeerFileError, read_peer_file

    try:
        layout, rows = read_peer_file(peer_file)
        tables = loader.load_all(version, source) if version else validate_notes(raw_dir or settings.raw_dir())[1]
        report = comparison.compare(layout, rows, tables, with_country)
    except NotesInvalid as invalid:
        raise click.ClickException(f"the notes have {len(invalid.problems)} problem(s); run `alliances validate`") from None
    except (PeerFileError, ValueError, FileNotFoundError, DownloadError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(comparison.to_text(report), nl=False)
    if json_path:
        json_path.write_text(json.dumps({"peer_file": str(peer_file), **report}, indent=2) + "\n", encoding="utf-8")
