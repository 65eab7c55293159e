"""The learners' pages in a real browser: a plan opened from its address, drawn and downloaded.

The server, browser and page fixtures are those of ``test_browser.py`` (a
``streamlit run`` on a free loopback port; requests to other hosts aborted).
Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from .test_browser import (  # noqa: F401  (fixtures are found by name)
    browser,
    goto,
    outside,
    page,
    server,
    shot,
    wait_idle,
    wait_network,
)

pytestmark = pytest.mark.browser

ID = "https://w3id.org/mlcareer/id/"


def _statuses(page) -> dict[str, int]:  # noqa: F811
    return page.evaluate(
        """() => {
          const out = {};
          for (const n of window.__kgNetworks.plan_graph.body.data.nodes.get()) {
            out[n.kgClass] = (out[n.kgClass] || 0) + 1;
          }
          return out;
        }"""
    )


def test_a_plan_in_the_address_is_drawn_and_downloads_as_a_graph_the_explorer_loads(
    page,  # noqa: F811
    server,  # noqa: F811
    tmp_path,
) -> None:
    import graph

    have = "&".join(f"have={quote(ID + n)}" for n in ("Python", "Statistics"))
    goto(page, f"{server}/?page=Plan&target={quote(ID + 'DataScientist')}&{have}")
    wait_network(page, "plan_graph")
    page.get_by_text("towards data scientist").first.wait_for(timeout=30_000)
    drawn = _statuses(page)
    assert drawn.get("target") == 1 and drawn.get("have", 0) >= 2 and drawn.get("essential")
    legend = page.locator(".kg-legend-item").all_inner_texts()
    assert any("what I have" in t for t in legend) and any("to learn" in t for t in legend)
    shot(page, "plan")
    page.locator(".kg-legend").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "plan-legend")
    before = drawn["essential"] + drawn.get("optional", 0)
    page.get_by_role("button", name="Learned").first.click()
    wait_idle(page)
    page.wait_for_function(
        "(n) => window.__kgNetworks.plan_graph.body.data.nodes.get()"
        ".filter(x => x.kgClass === 'essential' || x.kgClass === 'optional').length < n",
        arg=before,
        timeout=30_000,
    )
    assert page.url.count("have=") == 3  # the step learned joined what I have, in the address
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my plan as RDF").click()
    path = tmp_path / "my-plan.trig"
    Path(info.value.path()).replace(path)
    mine = graph.load([str(path)])
    me = ID + "learner-me"
    reached = {e.other(me) for e in mine.edges(me)}
    assert {ID + "Python", ID + "Statistics", ID + "DataScientist"} <= reached


HOSTILE_HTML = b"""<html><body><h1>ML engineer</h1>
<p>We need <b>Python</b>, PyTorch and statistics.</p>
<script>window.__xss = 1; alert(1)</script>
<p><img src=x onerror="window.__xss=2"> [a link](https://evil.example) :red[x]</p>
</body></html>"""


def _upload(page, name: str, data: bytes) -> None:  # noqa: F811
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": data}]
    )
    page.wait_for_timeout(800)
    page.get_by_role("button", name="Analyse", exact=True).click()
    wait_idle(page)


def test_an_uploaded_posting_is_shown_as_text_and_bad_files_get_a_message(
    page,  # noqa: F811
    server,  # noqa: F811
) -> None:
    goto(page, f"{server}/?page=Analyse")
    _upload(page, "posting.html", HOSTILE_HTML)
    page.get_by_text("mentions highlighted").wait_for(timeout=30_000)
    page.get_by_text("Closest roles").wait_for(timeout=30_000)
    body = page.locator(".kg-analysed").first
    assert "[a link](https://evil.example) :red[x]" in body.inner_text()  # as written
    assert body.locator("a, img, script").count() == 0
    assert body.locator("mark").count() >= 3
    shot(page, "analyse")
    for frame in page.frames:
        assert frame.evaluate("() => typeof window.__xss") == "undefined"
    assert page.dialogs == []
    _upload(page, "photo.txt", bytes(range(256)) * 64)
    page.get_by_text("is not text").wait_for(timeout=30_000)
    _upload(page, "big.txt", b"Python and SQL. " * 65_536)
    page.get_by_text("the analyser reads up to").wait_for(timeout=30_000)
