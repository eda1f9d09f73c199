"""Row-level differences between two sets of published tables, keyed by primary key."""

import pandas as pd

import schemas


def _key_text(row: pd.Series, key: tuple[str, ...]) -> str:
    return "/".join(str(row[k]) for k in key)


def _cell(value) -> str | None:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def diff_table(table: str, old: pd.DataFrame | None, new: pd.DataFrame | None) -> dict:
    """Added, removed and changed rows of one table, and added or removed columns."""
    key = schemas.TABLES[table].primary_key if table in schemas.TABLES else ()
    old = old if old is not None else pd.DataFrame(columns=new.columns if new is not None else list(key))
    new = new if new is not None else pd.DataFrame(columns=old.columns)
    old_rows = {_key_text(r, key): r for _, r in old.iterrows()}
    new_rows = {_key_text(r, key): r for _, r in new.iterrows()}
    shared_columns = [c for c in new.columns if c in old.columns]
    changed = []
    for k in sorted(old_rows.keys() & new_rows.keys()):
        cells = {c: [_cell(old_rows[k][c]), _cell(new_rows[k][c])] for c in shared_columns}
        cells = {c: pair for c, pair in cells.items() if pair[0] != pair[1]}
        if cells:
            changed.append({"key": k, "changes": cells})
    return {
        "key": list(key),
        "added": sorted(new_rows.keys() - old_rows.keys()),
        "removed": sorted(old_rows.keys() - new_rows.keys()),
        "changed": changed,
        "columns_added": [c for c in new.columns if c not in old.columns],
        "columns_removed": [c for c in old.columns if c not in new.columns],
    }


def diff_tables(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """Per table (every table in either set), what changed from `old` to `new`."""
    return {name: diff_table(name, old.get(name), new.get(name)) for name in sorted(old.keys() | new.keys())}


def summary_counts(diff: dict[str, dict]) -> dict[str, dict[str, int]]:
    return {t: {"added": len(d["added"]), "removed": len(d["removed"]), "changed": len(d["changed"])} for t, d in diff.items()}


def to_markdown(diff: dict[str, dict], old_version: str | None, new_version: str, why: str | None = None, limit: int = 5000) -> str:
    """A changelog: counts per table on top, then every row added, removed or changed."""
    title = f"# Changes in {new_version}" + (f" against {old_version}" if old_version else " (first release)")
    lines = [title, ""] + ([why, ""] if why else [])
    lines += ["| table | added | removed | changed |", "|---|---|---|---|"]
    lines += [f"| {t} | {c['added']} | {c['removed']} | {c['changed']} |" for t, c in summary_counts(diff).items()]
    for table, d in diff.items():
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
                lines += [f"- `{k}`" for k in d[label][:limit]]
        if d["changed"]:
            lines += ["", f"### Rows changed ({len(d['changed'])})", ""]
            for row in d["changed"][:limit]:
                cells = "; ".join(f"{c}: {old!r} -> {new!r}" for c, (old, new) in row["changes"].items())
                lines.append(f"- `{row['key']}`: {cells}")
    return "\n".join(lines) + "\n"
