"""The release page's tables, searchable, filterable by column and sortable in the browser.

Every cell is escaped HTML text. The one script is the constant below, allowed by its hash
in the page's Content-Security-Policy, so nothing a note says can run; without scripts the
tables still show. A table is shown up to ROWS rows (its CSV holds all), so the page's size
is bounded whatever the data.
"""

import base64
import hashlib
import html

import pandas as pd

ROWS = 2000

SCRIPT = """
document.querySelectorAll("div.browse").forEach(function (box) {
  var table = box.querySelector("table"), rows = Array.from(table.tBodies[0].rows);
  var search = box.querySelector("input.search"), shown = box.querySelector(".shown");
  var filters = Array.from(table.tHead.rows[1].querySelectorAll("input"));
  var texts = rows.map(function (row) { return Array.from(row.cells, function (c) { return c.textContent.toLowerCase(); }); });
  function apply() {
    var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = filters.map(function (f) { return f.value.toLowerCase(); });
    var count = 0;
    rows.forEach(function (row, i) {
      var cells = texts[i], line = cells.join(" ");
      var show = terms.every(function (t) { return line.indexOf(t) >= 0; })
        && wanted.every(function (w, j) { return !w || cells[j].indexOf(w) >= 0; });
      row.hidden = !show;
      if (show) count++;
    });
    shown.textContent = count + " of " + rows.length + " rows shown";
  }
  box.querySelector(".controls").hidden = false;
  table.tHead.rows[1].hidden = false;
  search.addEventListener("input", apply);
  filters.forEach(function (f) { f.addEventListener("input", apply); });
  Array.from(table.tHead.rows[0].cells).forEach(function (th, j) {
    th.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.from(table.tHead.rows[0].cells).forEach(function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var order = rows.map(function (row, i) { return i; });
      order.sort(function (a, b) {
        var x = texts[a][j], y = texts[b][j], nx = Number(x), ny = Number(y);
        var d = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return up ? d : -d;
      });
      order.forEach(function (i) { table.tBodies[0].appendChild(rows[i]); });
    });
  });
  apply();
});
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


def _cell(value) -> str:
    if pd.isna(value):
        return ""
    return html.escape(str(value.date() if isinstance(value, pd.Timestamp) else value))


def _rows(df: pd.DataFrame) -> str:
    return "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False))


def static_table(df: pd.DataFrame) -> str:
    """A small table shown whole, as it is."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in df.columns)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{_rows(df)}</tbody></table>"


def browsable(name: str, df: pd.DataFrame) -> str:
    """A table with a search box, a filter per column and sorting by a header's click."""
    shown = df.head(ROWS)
    head = "".join(f'<th title="sort by {html.escape(c)}">{html.escape(c)}</th>' for c in df.columns)
    filters = "".join(f'<th><input aria-label="filter {html.escape(c)}" placeholder="filter"></th>' for c in df.columns)
    cut = f" (the first {len(shown):,} of {len(df):,}; <a href=\"{name}.csv\">{name}.csv</a> holds all)" if len(shown) < len(df) else ""
    return (
        f'<details id="browse-{name}"><summary>{name}: {len(df):,} rows{cut}</summary>'
        f'<div class="browse"><p class="controls" hidden><input class="search" type="search" aria-label="search {name}" placeholder="search every column">'
        f' <span class="shown"></span></p>'
        f'<div class="scroll"><table class="data" data-table="{name}"><thead><tr>{head}</tr><tr class="filters" hidden>{filters}</tr></thead>'
        f"<tbody>{_rows(shown)}</tbody></table></div></div></details>"
    )
