"""Text escaped with ``md`` shows as written in a real browser: no element, and no link.

GitHub-flavoured Markdown links a bare address even when its characters are
escaped or written as character references, so the check needs Streamlit's own
renderer in Chromium, not a string comparison.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from .test_browser import free_port, wait_healthy  # noqa: E402

ROOT = Path(__file__).parent.parent.parent
HOSTILE = (
    "[a link](https://evil.example/a) see https://evil.example/b, www.evil.example, "
    "WWW.evil.example, a@evil.example, mailto:b@evil.example <b>bold</b> :red[red] $x$"
)
SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from app.components.ui import md
text = {HOSTILE!r}
st.markdown(md(text))
st.caption(md(text))
st.info(md(text))
"""


def test_escaped_text_makes_no_link_and_no_element(tmp_path) -> None:
    script = tmp_path / "page.py"
    script.write_text(SCRIPT)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(base)
            main = page.locator("[data-testid=stMain]")
            main.get_by_text("see https").nth(2).wait_for(timeout=30_000)
            assert main.locator("a").count() == 0
            assert main.locator("b, span[style*=red], .katex").count() == 0
            shown = main.inner_text().replace("\u2060", "")
            assert shown.count(HOSTILE) == 3  # as written, three times
            browser.close()
    finally:
        proc.kill()
        proc.wait(timeout=10)
