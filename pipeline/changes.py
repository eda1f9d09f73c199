"""Row-level differences between two sets of published tables, keyed by primary key."""

import re

import pandas as pd

import schemas


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text (dates as YYYY-MM-DD), missing values as <NA>, for comparison."""
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        values = df[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").astype("string")
        else:
            out[column] = values.astype("string")
    return out


def _keyed(df: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """The table as text, indexed by its primary key joined with '/'."""
    text = _as_text(df)
    index = text[key[0]].fillna("")
    for column in key[1:]:
        index = index + "/" + text[column].fillna("")
    return text.set_index(index.rename("key"))


def diff_table(table: str, old: pd.DataFrame | None, new: pd.DataFrame | None) -> dict:
    """Added, removed and changed rows of one table, and added or removed columns."""
    key = schemas.TABLES[table].primary_key
    columns = schemas.TABLES[table].columns
    old = _keyed(old if old is not None else pd.DataFrame(columns=columns), key)
    new = _keyed(new if new is not None else pd.DataFrame(columns=columns), key)
    shared_columns = [c for c in new.columns if c in old.columns]
    common = new.index.intersection(old.index)
    before, after = old.loc[common, shared_columns], new.loc[common, shared_columns]
    differs = before.fillna("\0").ne(after.fillna("\0"))
    changed = []
    for k in sorted(differs.index[differs.any(axis=1)]):
        cells = differs.loc[k]
        changed.append({"key": k, "changes": {c: [_plain(before.at[k, c]), _plain(after.at[k, c])] for c in cells.index[cells]}})
    return {
        "key": list(key),
        "added": sorted(new.index.difference(old.index)),
        "removed": sorted(old.index.difference(new.index)),
        "changed": changed,
        "columns_added": [c for c in new.columns if c not in old.columns],
        "columns_removed": [c for c in old.columns if c not in new.columns],
    }


def _plain(value) -> str | None:
    return None if pd.isna(value) else str(value)


def unchanged(table: str) -> dict:
    """The diff of a table known (by its hash) to be identical in both releases."""
    return {"key": list(schemas.TABLES[table].primary_key), "added": [], "removed": [], "changed": [], "columns_added": [], "columns_removed": []}


def new_table(table: str, rows: int) -> dict:
    """The diff of a table the previous release lacks (every table of a first release): its
    rows are all new, so they are counted, not compared or listed."""
    return {**unchanged(table), "rows_new": rows}


def diff_tables(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """Per table (every table in either set), what changed from `old` to `new`."""
    return {name: diff_table(name, old.get(name), new.get(name)) for name in sorted(old.keys() | new.keys())}


def summary_counts(diff: dict[str, dict]) -> dict[str, dict[str, int]]:
    return {t: {"added": d.get("rows_new", len(d["added"])), "removed": len(d["removed"]), "changed": len(d["changed"])} for t, d in diff.items()}


def code(value) -> str:
    """A Markdown code span that shows `value` literally, whatever backticks, links or markup it holds."""
    text = str(value)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(diff: dict[str, dict], old_version: str | None, new_version: str, why: str | None = None, limit: int = 5000) -> str:
    """A changelog: counts per table on top, then every row added, removed or changed."""
    title = f"# Changes in {new_version}" + (f" against {old_version}" if old_version else " (first release)")
    lines = [title, ""] + ([why, ""] if why else [])
    lines += ["| table | added | removed | changed |", "|---|---|---|---|"]
    lines += [f"| {t} | {c['added']} | {c['removed']} | {c['changed']} |" for t, c in summary_counts(diff).items()]
    for table, d in diff.items():
        if d.get("rows_new"):
            lines += ["", f"## {table}", "", f"A new table: all {d['rows_new']} rows are new."]
        if not (d["added"] or d["removed"] or d["changed"] or d["columns_added"] or d["columns_removed"]):
            continue
        lines += ["", f"## {table}", "", f"Rows are keyed by {', '.join(d['key'])}."]
        if d["columns_added"]:
            lines.append(f"Columns added: {', '.join(f'`{c}`' for c in d['columns_added'])}.")
        for column in d["columns_removed"]:
            replacement = schemas.RENAMED_COLUMNS.get(table, {}).get(column)
            lines.append(f"Column `{column}` removed; " + (f"replaced by `{replacement}`." if replacement else "no column replaces it."))
        for label in ("added", "removed"):
            if d[label]:
                lines += ["", f"### Rows {label} ({len(d[label])})", ""]
                lines += [f"- {code(k)}" for k in d[label][:limit]]
                lines += [f"- ... and {len(d[label]) - limit} more (CHANGELOG.md and `alliances diff` list more)"] if len(d[label]) > limit else []
        if d["changed"]:
            lines += ["", f"### Rows changed ({len(d['changed'])})", ""]
            for row in d["changed"][:limit]:
                cells = "; ".join(f"{c}: {code(repr(old))} -> {code(repr(new))}" for c, (old, new) in row["changes"].items())
                lines.append(f"- {code(row['key'])}: {cells}")
            lines += [f"- ... and {len(d['changed']) - limit} more (CHANGELOG.md and `alliances diff` list more)"] if len(d["changed"]) > limit else []
    return "\n".join(lines) + "\n"
