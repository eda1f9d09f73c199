"""The release page rendered in headless Chromium, at world scale (the benchmark's synthetic
1x corpus: about 200 treaties): every chart loads and the tables are there."""

import json
import os
import shutil

import pytest

import schemas
from pipeline.build import build
from pipeline.synthetic import write_corpus

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("ALLIANCES_REQUIRE_BROWSER"),
    reason="Chromium is not installed (.ci/run installs Debian's chromium and requires this test)",
)


def test_release_page_in_a_real_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    folder = build(write_corpus(tmp_path / "raw", 1), tmp_path / "out").path
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
        "Partner nations of each partnership program per year",
        "Host countries of program activities per year",
    ]
    assert all(complete and width > 300 for _, complete, width in charts)
    rows = json.loads((folder.parent / "index.json").read_text())["releases"][-1]["row_counts"]
    assert overview == list(schemas.TABLES) and counts == [rows[name] for name in schemas.TABLES]
    assert headings == ["Tables", "Charts", "Coverage", "Changes", "Codebook"]
    assert all(url.startswith("file://") or url.startswith("data:") for url in requests)  # works offline
    assert (tmp_path / "release-page.png").stat().st_size > 50_000
