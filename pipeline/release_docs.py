"""The documents shipped inside a release, generated from the schemas: datapackage.json
(Frictionless Data Package), the README codebook, and CITATION.cff.
"""

import json
from pathlib import Path

import yaml

import schemas
from pipeline.release_index import FORMATS
from pipeline.settings import PROJECT_ROOT

TITLE = "Alliances & Partnerships dataset"
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}
HOMEPAGE = "https://github.com/alliances-dataset/alliances-dataset"


def citation(version: str, year: int) -> str:
    return f"Alliances & Partnerships dataset contributors ({year}). {TITLE}, version {version}. {HOMEPAGE}/releases/tag/v{version}"


def citation_file(version: str, created: str) -> str:
    """The repository's CITATION.cff with this release's version and date: citation managers,
    and Zenodo when a release is archived there, read it (Zenodo takes CITATION.cff when a
    repository has no .zenodo.json)."""
    metadata = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    metadata.update({"version": version, "date-released": created})
    return yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100)


def _schema(table: schemas.Table) -> dict:
    schema = {
        "fields": [
            {"name": c.name, "type": c.type, "description": c.description,
             "constraints": {"required": not c.nullable}}
            for c in table.fields
        ],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": target, "fields": target_column}}
            for column, (target, target_column) in table.foreign_keys.items()
        ]
    return schema


def datapackage(version: str, created: str, files: dict[str, dict], row_counts: dict[str, int], sources: list[dict]) -> dict:
    """A Frictionless Data Package describing every table in both formats.

    Args:
        files: per file name, its `bytes` and `hash` (sha256 hex).
    """
    resources = []
    for table in schemas.TABLES.values():
        csv = f"{table.name}.csv"
        resources.append({
            "name": table.name, "type": "table", "profile": "tabular-data-resource",
            "path": csv, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": table.description, "bytes": files[csv]["bytes"], "hash": f"sha256:{files[csv]['hash']}",
            "schema": _schema(table), "x_row_count": row_counts[table.name],
        })
        # NOTE: Frictionless reads nullable Parquet integers as floats ("nan") and cannot
        # read Stata, so the other copies are listed as files; their columns are those of
        # the CSV resource.
        for suffix, (title, mediatype) in FORMATS.items():
            if suffix == ".csv":
                continue
            path, fmt = f"{table.name}{suffix}", suffix.lstrip(".")
            resources.append({
                "name": f"{table.name}-{fmt}", "type": "file", "profile": "data-resource",
                "path": path, "format": fmt, "mediatype": mediatype,
                "description": f"The {table.name} table as a {title} file, with the columns and types of the `{table.name}` resource.",
                "bytes": files[path]["bytes"], "hash": f"sha256:{files[path]['hash']}",
            })
    return {
        "profile": "data-package",
        "name": "alliances-partnerships",
        "title": TITLE,
        "description": "International alliances (treaties, their members and dates) and defence partnership programs (partners, start years, activities), built from curated, sourced notes.",
        "version": version,
        "created": f"{created}T00:00:00Z",
        "homepage": HOMEPAGE,
        "licenses": [LICENSE],
        "citation": citation(version, int(created[:4])),
        "sources": sources,
        "resources": resources,
    }


def quote_summary(tables: dict) -> dict[str, dict]:
    """Per table with a `quote_gaps` column: its rows, those whose quote states their value,
    and how many fall short in each way."""
    summary = {}
    for name, df in tables.items():
        if "quote_gaps" in df.columns:
            gaps = df["quote_gaps"].dropna()
            summary[name] = {"rows": len(df), "stated": len(df) - len(gaps), "gaps": gaps.value_counts().sort_index().to_dict()}
    return summary


def rows(count: int) -> str:
    """'1 row', '2 rows': counts shown to people read as English."""
    return f"{count} row" if count == 1 else f"{count} rows"


def quote_share(summary: dict[str, dict]) -> float:
    rows = sum(t["rows"] for t in summary.values())
    return sum(t["stated"] for t in summary.values()) / rows if rows else 1.0


def _quote_lines(summary: dict[str, dict]) -> list[str]:
    lines = [
        "## How far the quotes support the rows",
        "",
        f"In {quote_share(summary):.0%} of the rows that cite a source, the quoted words state the row's date (its",
        "year, and the day for rows dated to the day) and name its country. The check reads text only;",
        "`quote_gaps` in each table says what a row's quote lacks (filter on it to list those rows).",
        "",
        "| table | rows | quote states the value | share | what the others lack |",
        "|---|---|---|---|---|",
    ]
    for name, t in summary.items():
        share = t["stated"] / t["rows"] if t["rows"] else 1.0
        lacking = ", ".join(f"{gap} {count}" for gap, count in t["gaps"].items()) or "-"
        lines.append(f"| `{name}` | {t['rows']} | {t['stated']} | {share:.0%} | {lacking} |")
    return lines + [""]


def codebook(version: str, created: str, row_counts: dict[str, int], quotes: dict[str, dict] | None = None) -> str:
    """The release README: how to cite it, how far its quotes support it, and every table and
    column described."""
    lines = [
        f"# {TITLE}, version {version}",
        "",
        f"Published {created}. Licence: {LICENSE['title']} ({LICENSE['name']}).",
        "",
        "## How to cite this version",
        "",
        f"> {citation(version, int(created[:4]))}",
        "",
        "## Files",
        "",
        "Every table comes as Parquet (typed: dates are `date32`, integers stay integers), as",
        "CSV (UTF-8, dates `YYYY-MM-DD`, empty cell = null) and as Stata data (`.dta`, format 118,",
        "Stata 14 and later: `use treaties.dta`; dates `%td`, booleans 0/1, null numbers and dates",
        "`.`, null text an empty string; each variable labelled from the column descriptions",
        "below, cut to Stata's 80 characters). `datapackage.json` describes them all",
        "(Frictionless Data Package); `SHA256SUMS` checks them with `sha256sum -c SHA256SUMS`;",
        "`CHANGELOG.md` lists what changed against the previous release.",
        "",
        "Rows with `unconfirmed = true` rest on no stored source; filter them out for strict",
        "analyses. Date columns have a `*_precision` column: `year` or `month` means only the",
        "year or month is known and the date is the first day of that period.",
        "",
    ]
    if quotes:
        lines += _quote_lines(quotes)
    for table in schemas.TABLES.values():
        lines += [f"## `{table.name}` ({rows(row_counts[table.name])})", "", table.description, ""]
        lines.append(f"Primary key: {', '.join(f'`{c}`' for c in table.primary_key)}.")
        for column, (target, target_column) in table.foreign_keys.items():
            lines.append(f"`{column}` refers to `{target}.{target_column}`.")
        lines += ["", "| column | type | nullable | description |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {c.description} |" for c in table.fields]
        lines.append("")
    return "\n".join(lines)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
