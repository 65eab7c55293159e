"""The README's pictures of Explore, taken from a running app.

    python scripts/readme_shots.py http://127.0.0.1:8501 docs

writes ``screenshot.png`` (data scientist expanded beside machine learning
engineer, its panel open) and ``sidebar.png`` (the schema view chosen in the
sidebar), both at 1400x1000. ``docs/paths.png`` and ``docs/compare.png`` come
from the browser tests (``UPDATE_SCREENSHOT=1``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ID = "https://w3id.org/mlcareer/id/"
DRAWN = "() => window.__kgNetworks && window.__kgNetworks.explore_graph"


def take(base: str, folder: Path) -> None:
    """Open the two views and write their pictures into ``folder``."""
    expanded = {
        "focus": ID + "MachineLearningEngineer",
        "step": "+" + ID + "DataScientist",
        "node": ID + "DataScientist",
    }
    schema = {"show": "schema", "focus": "https://w3id.org/mlcareer/ontology#Role"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, params in (("screenshot", expanded), ("sidebar", schema)):
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(f"{base}/?{urlencode(params)}")
            page.wait_for_function(DRAWN, timeout=60_000)
            page.locator(".kg-panel[aria-busy=false] h3").wait_for(timeout=60_000)
            page.wait_for_timeout(2000)  # let the layout settle
            if name == "sidebar":
                page.get_by_test_id("stExpandSidebarButton").click()
                page.wait_for_timeout(1500)
            page.screenshot(path=str(folder / f"{name}.png"))
        browser.close()


if __name__ == "__main__":
    take(sys.argv[1], Path(sys.argv[2]))
