"""Publishing releases: versions from content, immutable folders, an atomically replaced index.

A release is staged in a hidden folder of outputs/releases/ and renamed into place, so it
appears whole or not at all; index.json is then replaced in one rename. A lock keeps two
builds from publishing at once. Nothing here ever writes into an existing version folder.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

import schemas
from pipeline import changes, release_docs, release_page, table_files
from pipeline.download import parse_sums
from pipeline.problems import machine_error
from pipeline.release_index import STAGING_PREFIX, TABLE_FORMATS, PublishError, latest_entry, read_index
from pipeline.versions import SEMVER, parse_version

PAGE_CHANGES = 50  # rows listed per table and kind of change on the release page; CHANGELOG.md lists more


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def schema_signature() -> dict[str, dict[str, str]]:
    """Per table, each column's portable type: what a breaking change is judged on."""
    return {t.name: {c.name: c.type for c in t.fields} for t in schemas.TABLES.values()}


def fingerprint(tables: dict[str, pd.DataFrame], hashes: dict[str, str] | None = None) -> dict[str, str]:
    """Hashes of the data, the schema (with the file formats published) and the documentation,
    independent of row order and time."""
    data = _sha256(json.dumps(hashes or table_files.table_hashes(tables), sort_keys=True).encode())
    schema = _sha256(json.dumps({"tables": schema_signature(), "formats": TABLE_FORMATS}, sort_keys=True).encode())
    docs = _sha256(json.dumps(
        {t.name: [t.description, [c.description for c in t.fields], t.primary_key, t.foreign_keys] for t in schemas.TABLES.values()},
        sort_keys=True,
    ).encode() + release_docs.codebook("X", "2000-01-01", {t: 0 for t in schemas.TABLES}).encode())
    return {"data_hash": data, "schema_hash": schema, "docs_hash": docs, "content_hash": _sha256(f"{data}{schema}{docs}".encode())}


def breaking_changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[str]:
    """Tables or columns removed, or column types changed, from `old` to `new`."""
    found = []
    for table, columns in old.items():
        if table not in new:
            found.append(f"table {table} removed")
            continue
        for column, kind in columns.items():
            if column not in new[table]:
                replacement = schemas.RENAMED_COLUMNS.get(table, {}).get(column)
                found.append(f"column {table}.{column} removed" + (f", replaced by {table}.{replacement}" if replacement else ", no replacement"))
            elif new[table][column] != kind:
                found.append(f"column {table}.{column} changed type from {kind} to {new[table][column]}")
    return found


def next_version(previous: dict | None, prints: dict[str, str]) -> tuple[str | None, str, str]:
    """(version or None, bump, reason) for new content against the previous index entry."""
    if previous is None:
        return "1.0.0", "initial", "first release"
    if previous["content_hash"] == prints["content_hash"]:
        return None, "none", f"content unchanged since {previous['version']}"
    major, minor, patch = parse_version(previous["version"])
    breaking = breaking_changes(previous["schema"], schema_signature())
    if breaking:
        return f"{major + 1}.0.0", "major", "; ".join(breaking)
    if previous["data_hash"] != prints["data_hash"] or previous["schema_hash"] != prints["schema_hash"]:
        return f"{major}.{minor + 1}.0", "minor", "data, columns or file formats added or corrected"
    return f"{major}.{minor}.{patch + 1}", "patch", "documentation changed"


@dataclass(frozen=True)
class Outcome:
    """What a publish attempt did."""

    version: str | None
    bump: str
    reason: str
    content_hash: str
    path: Path | None


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; a web server serving a mirror must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _clean_leftovers(releases_dir: Path, index: dict) -> None:
    """Remove what an interrupted build left: staging folders and unlisted version folders."""
    listed = {r["version"] for r in index["releases"]}
    for entry in releases_dir.iterdir():
        unlisted = SEMVER.fullmatch(entry.name) and entry.name not in listed
        if entry.is_dir() and (entry.name.startswith(STAGING_PREFIX) or unlisted):
            shutil.rmtree(entry)
        elif entry.name.startswith(".index.json."):
            entry.unlink()


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _copied_intact(source: Path, table: str, folder: Path) -> dict[str, str] | None:
    """Copy a table's files from an earlier release and return the copies' digests, or None
    (and no copies) if any is missing or no longer matches that release's SHA256SUMS. The
    copy is the kernel's (no bytes pass through Python), and a copy, not a link, so no later
    write can reach the earlier release."""
    sums = parse_sums((source / "SHA256SUMS").read_text(encoding="utf-8"))
    names = [f"{table}{suffix}" for suffix in TABLE_FORMATS]
    try:
        digests = {name: _file_sha256(shutil.copyfile(source / name, folder / name)) for name in names}
    except OSError:
        digests = {}
    if digests and all(digest == sums.get(name) for name, digest in digests.items()):
        return digests
    for name in names:
        (folder / name).unlink(missing_ok=True)
    return None


def _stage(folder: Path, version: str, created: str, tables: dict[str, pd.DataFrame], sources: list[dict], diff: dict, old_version: str | None, why: str, quotes: dict,
           reuse: dict[str, Path]) -> None:
    """Write every file of a release into `folder`; a table in `reuse` is copied from that
    earlier release's folder (same content, same writer, so the same bytes) instead."""
    known = {}  # digests of the files copied, checked as they were read
    for name, df in tables.items():
        copied = _copied_intact(reuse[name], name, folder) if name in reuse else None
        if copied is None:
            table_files.write_table(name, df, folder)
        known.update(copied or {})
    row_counts = {name: len(df) for name, df in tables.items()}
    (folder / "CHANGELOG.md").write_text(changes.to_markdown(diff, old_version, version, why), encoding="utf-8")
    codebook = release_docs.codebook(version, created, row_counts, quotes)
    (folder / "README.md").write_text(codebook, encoding="utf-8")
    (folder / "CITATION.cff").write_text(release_docs.citation_file(version, created), encoding="utf-8")
    summary = changes.to_markdown(diff, old_version, version, why, limit=PAGE_CHANGES)
    (folder / "index.html").write_text(release_page.page(version, created, tables, summary, codebook), encoding="utf-8")
    digests = {p.name: known.get(p.name) or _file_sha256(p) for p in folder.iterdir()}  # each file hashed once
    files = {name: {"bytes": (folder / name).stat().st_size, "hash": digests[name]} for name in sorted(digests) if name.endswith(TABLE_FORMATS)}
    release_docs.write_json(folder / "datapackage.json", release_docs.datapackage(version, created, files, row_counts, sources))
    _write_bundle(folder, version)
    for path in (folder / "datapackage.json", folder / bundle_name(version)):
        digests[path.name] = _file_sha256(path)
    sums = [f"{digests[name]}  {name}" for name in sorted(digests)]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    for path in folder.iterdir():
        with open(path, "rb") as f:
            os.fsync(f.fileno())


def bundle_name(version: str) -> str:
    return f"alliances-dataset-{version}.zip"


def _write_bundle(folder: Path, version: str) -> None:
    """One zip of every file of the release, byte-identical for identical files."""
    top = f"alliances-dataset-{version}"
    # level 1 (below): fast, and the CSV and Stata files still shrink several times
    with zipfile.ZipFile(folder / bundle_name(version), "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.iterdir()):
            if path.name == bundle_name(version):
                continue
            info = zipfile.ZipInfo(f"{top}/{path.name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if path.suffix == ".parquet" else zipfile.ZIP_DEFLATED  # Parquet is compressed already
            info.external_attr = 0o644 << 16
            info.file_size = path.stat().st_size  # streamed, so zipfile needs the size up front (Zip64 past 2 GiB)
            # NOTE: ZipFile.open takes the level from the entry, not the archive: Python 3.13
            # names it `compress_level`, 3.11 and 3.12 `_compresslevel`.
            setattr(info, "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel", 1)
            with open(path, "rb") as source, bundle.open(info, "w") as entry:
                shutil.copyfileobj(source, entry, 1 << 20)


def previous_tables(releases_dir: Path, version: str | None, names: list[str]) -> dict[str, pd.DataFrame]:
    """Tables `names` of an earlier release, where it has them."""
    if version is None:
        return {}
    folder = releases_dir / version
    return {name: table_files.read_table(name, folder) for name in names if (folder / f"{name}.parquet").exists()}


def publish(outputs_dir: Path, tables: dict[str, pd.DataFrame], sources: list[dict], inputs_hash: str = "", ingredients: dict[str, str] | None = None,
            today: dt.date | None = None, wait_seconds: float = 600) -> Outcome:
    """Publish `tables` (already publishable) as a new release if their content changed;
    `ingredients` (reuse.keys) is recorded with it for the next build.

    Raises:
        PublishError: another build holds the lock past `wait_seconds`, or the version
            folder already exists.
    """
    releases_dir = outputs_dir / "releases"
    try:
        releases_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(releases_dir / ".lock", timeout=wait_seconds):
            return _publish_locked(releases_dir, tables, sources, inputs_hash, ingredients or {}, (today or dt.date.today()).isoformat())
    except Timeout:
        raise PublishError(f"another build is publishing into {releases_dir} (lock {releases_dir / '.lock'} held for over {wait_seconds:.0f} s)") from None
    except OSError as error:
        raise PublishError(machine_error(error, f"cannot publish into {releases_dir}") + "; nothing was published") from None


def _publish_locked(releases_dir: Path, tables: dict[str, pd.DataFrame], sources: list[dict], inputs_hash: str, ingredients: dict[str, str], created: str) -> Outcome:
    index = read_index(releases_dir)
    _clean_leftovers(releases_dir, index)
    previous = latest_entry(index)
    hashes = table_files.table_hashes(tables)
    prints = fingerprint(tables, hashes)
    version, bump, reason = next_version(previous, prints)
    if version is None:
        if inputs_hash and index.get("checked_inputs_hash") != inputs_hash:
            _write_atomically(releases_dir / "index.json", json.dumps({**index, "checked_inputs_hash": inputs_hash}, indent=2) + "\n")
        return Outcome(None, bump, reason, prints["content_hash"], None)
    target = releases_dir / version
    if target.exists():
        raise PublishError(f"release folder {target} already exists; releases are never overwritten")
    old_version = previous["version"] if previous else None
    # NOTE: only tables whose bytes changed are read back and compared, which keeps a
    # one-note change cheap when the large panels did not move.
    old_hashes = previous.get("table_hashes", {}) if previous else {}
    changed = [name for name in tables if hashes[name] != old_hashes.get(name)]
    before = previous_tables(releases_dir, old_version, changed)
    diff = changes.diff_tables(before, {n: tables[n] for n in changed if n in before})
    diff.update({name: changes.new_table(name, len(tables[name])) for name in changed if name not in before})
    diff.update({name: changes.unchanged(name) for name in tables if name not in changed})
    diff = dict(sorted(diff.items()))
    staging = Path(tempfile.mkdtemp(dir=releases_dir, prefix=f"{STAGING_PREFIX}{version}-"))
    writer = table_files.writer_signature()
    quotes = release_docs.quote_summary(tables)
    try:
        staging.chmod(0o755)
        same_writer = previous is not None and previous.get("writer") == writer
        reuse = {name: releases_dir / old_version for name in tables if name not in changed} if same_writer else {}
        _stage(staging, version, created, tables, sources, diff, old_version, f"Version bump: {bump} ({reason}).", quotes, reuse)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    entry = {
        "version": version, "created": created, **prints, "table_hashes": hashes,
        "sha256sums": _sha256((target / "SHA256SUMS").read_bytes()), "inputs_hash": inputs_hash, "bump": bump, "reason": reason,
        "previous": old_version, "writer": writer, "ingredients": ingredients, "row_counts": {n: len(df) for n, df in tables.items()},
        "formats": list(TABLE_FORMATS), "quote_share": round(release_docs.quote_share(quotes), 4),
        "changes": changes.summary_counts(diff), "schema": schema_signature(),
    }
    index = {"latest": version, "releases": [*index["releases"], entry], "checked_inputs_hash": inputs_hash}
    try:
        _write_atomically(releases_dir / "index.json", json.dumps(index, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # unlisted, so never seen by a reader
        raise
    return Outcome(version, bump, reason, prints["content_hash"], target)
