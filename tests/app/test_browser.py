"""The app in a real browser: headless Chromium (Debian's package) driven by Playwright.

A module fixture starts ``streamlit run`` on a free loopback port. Every request
the page makes to a host other than 127.0.0.1/localhost is aborted and recorded;
the last test checks that there were none. Screenshots go to
``artifacts/screenshots/``; ``UPDATE_SCREENSHOT=1`` also refreshes the README's
``docs/screenshot.png`` from the Explore page.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).parent.parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
ID = "https://w3id.org/mlcareer/id/"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
XSS_TTL = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/evil> skos:prefLabel "<img src=x onerror=window.__xss=1> href" ;
    skos:definition "<script>window.__xss=2</script><img src=x onerror=alert(1)>" ;
    <http://example.org/knows> <http://example.org/other> .
<http://example.org/other> skos:prefLabel "<b onmouseover=window.__xss=3>other</b>" .
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = (ROOT / "artifacts" / "streamlit.log").open("w")  # closed in the finally below
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply,
            ):
                if reply.status == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("streamlit did not start; see artifacts/streamlit.log")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def outside() -> list[str]:
    """Every non-loopback address a page of this module tried to reach."""
    return []


@pytest.fixture
def page(browser, outside):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

    def guard(route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stSidebar']", timeout=30_000)
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait until the script has finished running and the page settled."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
        " && document.querySelector('[data-testid=\"stAppViewContainer\"]')",
        timeout=30_000,
    )
    page.wait_for_timeout(300)


def wait_network(page, name: str) -> None:
    page.wait_for_function(
        "(name) => window.__kgNetworks && window.__kgNetworks[name]"
        " && Object.keys(window.__kgNetworks[name].getPositions()).length > 0",
        arg=name,
        timeout=30_000,
    )
    page.wait_for_timeout(1500)  # let the layout settle before clicking or shooting


def panel_title(page) -> str:
    return page.locator("h3").first.inner_text()


def wait_title(page, text: str) -> None:
    page.wait_for_function(
        "(t) => [...document.querySelectorAll('h3')].some(h => h.textContent.trim() === t)",
        arg=text,
        timeout=30_000,
    )


def node_point(page, name: str, suffix: str) -> dict:
    """Where on the page the node whose IRI ends with ``suffix`` is drawn."""
    return page.evaluate(
        """([name, suffix]) => {
          const net = window.__kgNetworks[name];
          const positions = net.getPositions();
          const id = Object.keys(positions).find(k => k.endsWith(suffix));
          const dom = net.canvasToDOM(positions[id]);
          const box = net.body.container.getBoundingClientRect();
          return {x: box.left + dom.x, y: box.top + dom.y, id};
        }""",
        [name, suffix],
    )


def shot(page, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def choose(page, label: str, text: str) -> None:
    """Type ``text`` into the select box labelled ``label`` and press Enter."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").click()
    box.locator("input").fill(text)
    page.wait_for_timeout(400)
    page.keyboard.press("Enter")
    wait_idle(page)


# -- tests ---------------------------------------------------------------------------------
def test_search_then_click_a_node_focuses_it(page, server) -> None:
    goto(page, server)
    choose(page, "Search a concept", "Python")
    wait_title(page, "Python")
    wait_network(page, "explore_graph")
    shot(page, "explore-python")
    point = node_point(page, "explore_graph", "/DataScientist")
    page.mouse.click(point["x"], point["y"])
    wait_title(page, "data scientist")
    wait_network(page, "explore_graph")
    wait_idle(page)
    assert "DataScientist" in page.url
    path = shot(page, "explore-after-click")
    readme_shot = ROOT / "docs" / "screenshot.png"
    if os.environ.get("UPDATE_SCREENSHOT") or not readme_shot.exists():
        readme_shot.parent.mkdir(exist_ok=True)
        shutil.copy(path, readme_shot)  # the README's picture, refreshed on request


def test_a_typo_in_the_search_box_still_finds_the_concept(page, server) -> None:
    goto(page, server)
    choose(page, "Search a concept", "pyhton")
    wait_title(page, "Python")


def test_shared_address_restores_the_view(page, server) -> None:
    url = f"{server}/?page=Explore&focus={quote(ID + 'DataScientist')}&hops=2&cap=25"
    goto(page, url)
    wait_title(page, "data scientist")
    wait_network(page, "explore_graph")
    drawn = page.evaluate("() => window.__kgNetworks.explore_graph.body.data.nodes.length")
    assert drawn == 26  # the focus and the 25 the cap allows, reached within 2 hops
    page.get_by_text("Filters and limits").click()
    hops = page.get_by_test_id("stSlider").filter(has_text="Hops")
    hops.wait_for(timeout=10_000)
    assert hops.get_by_test_id("stSliderThumbValue").inner_text() == "2"
    shot(page, "shared-address")


def test_path_question_lists_and_draws_paths(page, server) -> None:
    goto(page, f"{server}/?page=Paths")
    page.get_by_role("textbox", name="Ask a question").fill(
        "skills linking Python to Core ML engineer"
    )
    page.get_by_role("button", name="Ask", exact=True).click()
    wait_idle(page)
    page.get_by_text("skills linking Python to core ML engineer").wait_for(timeout=30_000)
    wait_network(page, "paths_graph")
    assert page.get_by_text("Path 1").count() == 1
    highlighted = page.evaluate(
        "() => window.__kgNetworks.paths_graph.body.data.edges.get().filter(e => e.path).length"
    )
    assert highlighted > 0
    assert "q=skills" in page.url
    shot(page, "paths")


def test_gallery_query_runs_and_downloads_csv(page, server) -> None:
    goto(page, f"{server}/?page=SPARQL")
    choose(page, "Gallery", "Tools by kind")
    page.get_by_role("button", name="Load and run").click()
    wait_idle(page)
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
    assert "query=" in page.url
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] and len(text.splitlines()) > 2
    shot(page, "sparql")


def test_export_downloads_a_parseable_file(page, server) -> None:
    import pyoxigraph as ox

    goto(page, f"{server}/?page=Export")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download Turtle").click()
    data = Path(info.value.path()).read_bytes()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(triples) > 100
    shot(page, "export")


def test_hostile_labels_run_nothing(page, server) -> None:
    goto(page, f"{server}/?page=Your%20data")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "<img src=x onerror=alert(1)>.ttl",
                "mimeType": "text/turtle",
                "buffer": XSS_TTL,
            }
        ]
    )
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Load", exact=True).click()
    wait_idle(page)
    page.get_by_text("Exploring your data").wait_for(timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_text("Explore", exact=True).click()
    wait_idle(page)
    wait_network(page, "explore_graph")
    for suffix in ("/evil", "/other"):
        point = node_point(page, "explore_graph", suffix)
        page.mouse.move(point["x"], point["y"])
        page.wait_for_timeout(800)
    shot(page, "hostile-labels")
    labels = {"<img src=x onerror=window.__xss=1> href", "<b onmouseover=window.__xss=3>other</b>"}
    assert page.locator("h3").first.inner_text() in labels  # shown as text
    for frame in page.frames:
        assert frame.evaluate("() => typeof window.__xss") == "undefined"
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0


def test_nothing_is_requested_outside_the_machine(page, server, outside) -> None:
    goto(page, f"{server}/?page=Overview")
    page.get_by_text("Concepts by class").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    shot(page, "overview")
    assert outside == [], json.dumps(outside, indent=1)
