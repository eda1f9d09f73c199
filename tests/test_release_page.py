"""The release page rendered in headless Chromium, at world scale (the benchmark's synthetic
1x corpus: about 200 treaties): every chart loads and the tables are there."""

import json
import os
import shutil
from pathlib import Path

import pytest

import schemas
from pipeline import page_tables, world_map
from pipeline.build import build
from pipeline.synthetic import write_corpus

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("ALLIANCES_REQUIRE_BROWSER"),
    reason="Chromium is not installed (.ci/run installs Debian's chromium and requires this test)",
)


SECTIONS = ["tables", "charts", "map", "coverage", "changelog", "codebook"]


def test_release_page_in_a_real_browser(tmp_path):
    """Every chart and map loads, the tables search and filter, the map's year buttons
    switch maps, and nothing is fetched; a screenshot of each section at 1400 px goes to
    $ALLIANCES_SCREENSHOTS when set."""
    from playwright.sync_api import sync_playwright

    import pandas as pd

    folder = build(write_corpus(tmp_path / "raw", 1), tmp_path / "out").path
    shots = Path(os.environ.get("ALLIANCES_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    memberships = pd.read_csv(folder / "memberships.csv", dtype=str, keep_default_na=False).head(page_tables.ROWS)  # the rows the page holds
    treaty = memberships["treaty_id"].value_counts().index[0]
    role = memberships.loc[memberships["treaty_id"] == treaty, "role"].iloc[-1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=flags)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((folder / "index.html").as_uri())
        page.wait_for_load_state("load")
        charts = page.eval_on_selector_all("img.chart", "imgs => imgs.map(i => [i.alt, i.complete, i.naturalWidth])")
        maps = page.eval_on_selector_all("svg.map", "ms => ms.map(m => [m.getAttribute('aria-label'), m.querySelectorAll('use').length])")
        overview = page.eval_on_selector_all("#table-overview tr td:first-child", "cells => cells.map(c => c.textContent)")
        counts = page.eval_on_selector_all("#table-overview tr td:nth-child(2)", "cells => cells.map(c => Number(c.textContent.replaceAll(',', '')))")
        headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.id)")

        page.click("#browse-memberships summary")
        page.fill("#browse-memberships input.search", treaty)
        searched = page.inner_text("#browse-memberships .shown")
        page.fill("#browse-memberships input.search", "")
        page.fill('#browse-memberships input[aria-label="filter treaty_id"]', treaty)
        page.fill('#browse-memberships input[aria-label="filter role"]', role)
        filtered = page.eval_on_selector_all("#browse-memberships tbody tr:not([hidden])", "rows => rows.length")
        page.click("#browse-memberships thead tr:first-child th:nth-child(2)")
        first_members = page.eval_on_selector_all("#browse-memberships tbody tr:not([hidden]) td:nth-child(2)", "cells => cells.map(c => c.textContent)")
        for section in SECTIONS:
            page.locator(f"#{section}").scroll_into_view_if_needed()
            page.evaluate(f"document.getElementById('{section}').scrollIntoView()")
            page.screenshot(path=str(shots / f"{section}.png"))
        years = page.eval_on_selector_all(".maps label", "labels => labels.map(l => l.textContent)")
        shown_maps = []
        for year in years:
            page.click(f"label[for=map-{year}]")
            shown_maps.append(page.eval_on_selector_all(".maps figure", "fs => fs.filter(f => f.offsetParent !== null).map(f => f.id)"))
            drawn = page.eval_on_selector(f"#map-figure-{year} svg.map", "m => [m.getBoundingClientRect().width, m.querySelector('use').getBBox().width]")
            assert drawn[0] > 1000 and drawn[1] > 0, (year, drawn)  # the map spans the page and its outlines have a size
        page.screenshot(path=str(shots / f"map-{years[-1]}.png"))
        browser.close()

    assert [alt for alt, _, _ in charts] == [
        "Members of the largest treaties, and the other treaties",
        "Treaties in force by obligation type",
        "Partner nations of each partnership program per year",
        "Host countries of program activities per year",
    ]
    assert all(complete and width > 300 for _, complete, width in charts)
    assert years and maps == [[f"Allies of each state in {year}", len(world_map.outlines())] for year in years]
    assert shown_maps == [[f"map-figure-{year}"] for year in years]
    rows = json.loads((folder.parent / "index.json").read_text())["releases"][-1]["row_counts"]
    assert overview == list(schemas.TABLES) and counts == [rows[name] for name in schemas.TABLES]
    assert headings == SECTIONS
    of_treaty = memberships[memberships["treaty_id"].str.contains(treaty)]
    assert searched == f"{len(memberships[memberships.apply(lambda r: treaty in ' '.join(r).lower(), axis=1)])} of {len(memberships)} rows shown"
    assert 0 < filtered == len(of_treaty[of_treaty["role"].str.contains(role)]) < len(memberships)
    assert first_members == sorted(first_members) and len(first_members) == filtered
    assert not errors
    assert all(url.startswith("file://") or url.startswith("data:") for url in requests)  # works offline
    assert all((shots / f"{section}.png").stat().st_size > 20_000 for section in SECTIONS)
