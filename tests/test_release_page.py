"""The release page rendered in headless Chromium: every chart loads and the tables are there."""

import os
import shutil

import pytest

import schemas
from conftest import PROJECT
from pipeline.build import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("ALLIANCES_REQUIRE_BROWSER"),
    reason="Chromium is not installed (.ci/run installs Debian's chromium and requires this test)",
)


def test_release_page_in_a_real_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    folder = build(PROJECT / "raw", tmp_path).path
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=flags)
        page = browser.new_page(viewport={"width": 1280, "height": 2000})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((folder / "index.html").as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(tmp_path / "release-page.png"), full_page=False)
        charts = page.eval_on_selector_all("img.chart", "imgs => imgs.map(i => [i.alt, i.complete, i.naturalWidth])")
        overview = page.eval_on_selector_all("#table-overview tr td:first-child", "cells => cells.map(c => c.textContent)")
        counts = page.eval_on_selector_all("#table-overview tr td:nth-child(2)", "cells => cells.map(c => Number(c.textContent))")
        headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
        browser.close()
    assert [alt for alt, _, _ in charts] == [
        "Members of the largest treaties, and treaties in force",
        "State Partnership Program partnerships begun per year and in total",
        "Pacific Partnership host countries per year",
    ]
    assert all(complete and width > 300 for _, complete, width in charts)
    assert overview == list(schemas.TABLES) and all(n > 0 for n in counts)
    assert headings == ["Tables", "Charts", "Coverage", "Changes", "Codebook"]
    assert all(url.startswith("file://") or url.startswith("data:") for url in requests)  # works offline
    assert (tmp_path / "release-page.png").stat().st_size > 50_000
