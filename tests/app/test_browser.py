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
<http://example.org/other> skos:prefLabel "<b onmouseover=window.__xss=3>other</b>" ;
    <http://example.org/knows> <http://example.org/site> .
<http://example.org/site> skos:prefLabel "see https://evil.example/x or a@evil.example" .
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, where: str = "") -> None:
    """Wait (a minute at most) until the Streamlit server at ``base`` says it is healthy."""
    deadline = time.monotonic() + 60
    while True:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply,
        ):
            if reply.status == 200:
                return
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"streamlit did not start; {where}".rstrip("; "))
        time.sleep(0.3)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
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
        wait_healthy(base, proc, "see artifacts/streamlit.log")
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
    page.wait_for_selector("[data-testid='stRadio']", timeout=30_000)
    wait_idle(page)


def go_to_page(page, name: str) -> None:
    """Click a page's name in the row of pages at the top (not the sidebar's choices)."""
    pages = page.get_by_test_id("stMain").get_by_test_id("stRadio").first
    pages.get_by_text(name, exact=True).click()
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
    """Wait for a heading ``text`` (Playwright's locators look inside the component too)."""
    page.get_by_role("heading", name=text, exact=True).first.wait_for(timeout=30_000)


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


def test_a_click_shows_the_node_panel_at_once_then_complete(page, server) -> None:
    goto(page, server)
    wait_title(page, "machine learning engineer")
    wait_network(page, "explore_graph")
    panel = page.locator(".kg-panel")
    page.locator(".kg-panel[aria-busy=false]").wait_for(timeout=30_000)
    point = node_point(page, "explore_graph", "/DataScientist")
    page.evaluate("() => { window.__panelSeen = null; }")
    page.evaluate(
        """() => {
          const host = [...document.querySelectorAll('.stBidiComponent *')]
            .find((e) => e.shadowRoot && e.shadowRoot.querySelector('.kg-panel'));
          const el = host.shadowRoot.querySelector('.kg-panel');
          new MutationObserver(() => {
            const h = el.querySelector('h3');
            const busy = el.getAttribute('aria-busy');
            if (h && !window.__panelSeen) window.__panelSeen = [h.textContent, busy];
          }).observe(el, { childList: true, subtree: true });
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    wait_title(page, "data scientist")
    first = page.evaluate("() => window.__panelSeen")
    assert first == ["data scientist", "true"]  # the view's own data, drawn on the click
    done = page.locator(".kg-panel[aria-busy=false] h3", has_text="data scientist")
    done.wait_for(timeout=30_000)
    text = panel.text_content()  # closed groups too
    assert "Relations (" in text and "stated by" in text
    assert page.locator(".kg-panel code").inner_text() == ID + "DataScientist"
    shot(page, "explore-panel")


def test_a_relation_in_the_panel_focuses_its_node(page, server) -> None:
    goto(page, f"{server}/?focus={quote(ID + 'Python')}")
    wait_title(page, "Python")
    page.locator(".kg-panel[aria-busy=false]").wait_for(timeout=30_000)
    group = page.locator(".kg-panel details").first
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    entry = group.locator(".kg-panel-node").first
    label = entry.inner_text().split(" · ")[0]
    entry.click()
    wait_idle(page)
    wait_title(page, label)
    page.wait_for_function(
        "(t) => window.__kgViews.explore_graph.spec().nodes.find(n => n.id === "
        "window.__kgViews.explore_graph.spec().focus).label === t",
        arg=label,
        timeout=30_000,
    )


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
    page.get_by_text("paths from Python to core ML engineer through skills").wait_for(
        timeout=30_000
    )
    wait_network(page, "paths_graph")
    assert page.get_by_text("Path 1").count() >= 1  # in the list and on the card
    highlighted = page.evaluate(
        "() => window.__kgNetworks.paths_graph.body.data.edges.get()"
        ".filter(e => e.path && e.width >= 4).length"
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
    go_to_page(page, "Explore")
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
    # addresses in the data are text, not links (Markdown links bare addresses)
    page.get_by_text("see https").first.wait_for(timeout=10_000)
    assert page.locator("a[href*='evil.example']").count() == 0


def positions(page, name: str) -> dict:
    return page.evaluate(f"() => window.__kgNetworks.{name}.getPositions()")


def test_expanding_keeps_what_was_there_and_back_returns(page, server) -> None:
    goto(page, f"{server}/?focus={quote(ID + 'DataScientist')}&cap=10")
    wait_network(page, "explore_graph")
    before = positions(page, "explore_graph")
    address = page.url
    point = node_point(page, "explore_graph", "/MachineLearningEngineer")
    page.mouse.click(point["x"], point["y"])
    page.locator(".kg-panel[aria-busy=false] h3", has_text="machine learning engineer").wait_for()
    wait_idle(page)  # the click's run is over: it is a step of its own
    page.locator(".kg-action[data-action=expand]").click()
    wait_idle(page)
    # It has more neighbours than an expansion adds: the guard counts them first.
    page.get_by_text("By relation:").wait_for(timeout=30_000)
    page.get_by_role("button", name="Add the 25 most connected").click()
    page.wait_for_function(
        "(n) => Object.keys(window.__kgNetworks.explore_graph.getPositions()).length > n",
        arg=len(before),
        timeout=30_000,
    )
    wait_idle(page)
    after = positions(page, "explore_graph")
    assert len(after) > len(before)
    for node, where in before.items():  # nothing that was there moved
        assert after[node] == pytest.approx(where, abs=0.5), node
    assert "step=%2B" in page.url
    shot(page, "explore-expanded")
    page.go_back()
    page.wait_for_function(
        "(n) => Object.keys(window.__kgNetworks.explore_graph.getPositions()).length === n",
        arg=len(before),
        timeout=30_000,
    )
    wait_idle(page)
    assert "step=" not in page.url
    page.go_back()  # the click before the expansion was a step too
    wait_idle(page)
    assert page.url == address


def test_a_small_expansion_is_drawn_at_once_and_the_run_confirms_it(page, server) -> None:
    goto(page, server)
    wait_network(page, "explore_graph")
    before = positions(page, "explore_graph")
    point = node_point(page, "explore_graph", "/HandsOnExperience")
    page.mouse.click(point["x"], point["y"])
    page.locator(".kg-panel[aria-busy=false] h3", has_text="hands-on experience").wait_for()
    wait_idle(page)  # the run that worked out what an expansion adds
    # Counted in the same task as the click: drawn before any answer could arrive.
    drawn = page.evaluate(
        """() => {
          const view = window.__kgViews.explore_graph;
          const button = [...document.querySelectorAll('.stBidiComponent *')]
            .map((e) => e.shadowRoot).filter(Boolean)
            .map((r) => r.querySelector('.kg-action[data-action=expand]')).find(Boolean);
          button.click();
          return Object.keys(view.positions());
        }"""
    )
    assert len(drawn) > len(before)
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=')", timeout=30_000)
    page.wait_for_timeout(500)
    after = positions(page, "explore_graph")
    assert sorted(after) == sorted(drawn)  # the run drew the same nodes
    for node, where in before.items():  # and nothing that was there moved
        assert after[node] == pytest.approx(where, abs=0.5), node


def test_opening_the_sidebar_keeps_the_labels_readable(page, server) -> None:
    goto(page, f"{server}/?focus={quote(ID + 'MachineLearningEngineer')}")
    wait_network(page, "explore_graph")
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_timeout(1500)  # the canvas narrows; vis-network scales the view with it
    scale, least = page.evaluate(
        "() => [window.__kgNetworks.explore_graph.getScale(), window.KGView.MIN_SCALE]"
    )
    assert scale >= least - 1e-9  # labels of 12 px or more stay drawn


#: For each node drawn (in the graph named by the argument): its centre pixel against the
#: legend's colour of its class.
COLOURS = r"""(name) => {
          const net = window.__kgNetworks[name];
          net.fit({animation: false});
          net.redraw();
          const canvas = net.canvas.frame.canvas;
          const ctx = canvas.getContext("2d");
          const ratio = canvas.width / canvas.clientWidth;
          const legend = {};
          const root = net.body.container.getRootNode();  // the component's shadow root
          for (const b of root.querySelectorAll(".kg-legend-item")) {
            legend[b.dataset.kgClass] = getComputedStyle(b.querySelector(".kg-glyph")).color;
          }
          const inside = new Set(["box", "ellipse", "database", "circle", "text"]);
          const out = {nodes: 0, sampled: 0, same: 0, wrong: []};
          const all = net.body.data.nodes.get();
          const boxes = all.map((n) => [n.id, net.getBoundingBox(n.id)]);
          for (const node of all) {
            out.nodes += 1;
            if (inside.has(node.shape)) continue;
            const at = net.getPosition(node.id);
            const covered = boxes.some(([id, b]) => id !== node.id && b.left <= at.x
              && at.x <= b.right && b.top <= at.y && at.y <= b.bottom);
            if (covered) continue;  // another node drawn over this one
            const p = net.canvasToDOM(at);
            const want = legend[node.kgClass].match(/\d+/g).map(Number);
            // a 5 x 5 patch around the centre: at this zoom a small star's centre pixel
            // blends with its darker outline, and edges may cross it
            const patch = ctx.getImageData(
              Math.round(p.x * ratio) - 2, Math.round(p.y * ratio) - 2, 5, 5).data;
            let best = Infinity, seen = null;
            for (let i = 0; i < patch.length; i += 4) {
              const d = Math.abs(patch[i] - want[0]) + Math.abs(patch[i + 1] - want[1])
                + Math.abs(patch[i + 2] - want[2]);
              if (d < best) { best = d; seen = [patch[i], patch[i + 1], patch[i + 2]]; }
            }
            out.sampled += 1;
            if (best <= 24) out.same += 1; else out.wrong.push([node.id, seen, want]);
          }
          return out;
        }"""


def test_drawn_colours_match_the_legend_on_a_large_view(page, server) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type) }"
    goto(page, f"{server}/?page=SPARQL&query={quote(query)}")
    wait_network(page, "sparql_graph")
    report = page.evaluate(COLOURS, "sparql_graph")
    shot(page, "sparql-construct-large")
    assert report["nodes"] >= 200
    assert report["sampled"] >= 150
    assert report["same"] >= 0.95 * report["sampled"], report["wrong"][:5]


def test_the_exported_page_draws_the_whole_graph_in_the_legend_colours(browser, tmp_path) -> None:
    import graph
    from graph.io.page import network_html
    from graph.io.selection import Selection

    kg = graph.load()
    page_file = tmp_path / "whole.html"
    page_file.write_text(network_html(Selection.everything(kg), kg=kg), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.graphView !== undefined", timeout=30_000)
    page.wait_for_timeout(500)
    report = page.evaluate(COLOURS, "page")
    point = node_point(page, "page", "/Python")
    page.mouse.click(point["x"], point["y"])
    heading = page.locator("#panel h3").inner_text()
    listed = page.locator("#panel .kg-panel-node").count()
    context.close()
    assert heading == "Python" and listed > 3  # the node panel of the standalone page
    assert report["nodes"] >= 200
    assert report["same"] >= 0.95 * report["sampled"] > 100, report["wrong"][:5]


def test_a_link_in_the_address_is_shown_as_text(page, server) -> None:
    goto(page, f"{server}/?focus=https://evil.example.com/login")
    wait_network(page, "explore_graph")
    assert page.locator("a[href*='evil']").count() == 0
    assert page.get_by_text("does not have").count() == 1
    assert page.get_by_text("Not found: https://evil.example.com/login").count() == 1
    wait_title(page, "machine learning engineer")  # the default view


def test_the_selected_path_is_highlighted_and_the_others_dimmed(page, server) -> None:
    goto(page, f"{server}/?page=Paths&q={quote('skills linking Python to Core ML engineer')}")
    wait_network(page, "paths_graph")
    page.get_by_test_id("stRadio").filter(has_text="Highlight a path").get_by_text(
        "Path 2", exact=False
    ).click()
    wait_idle(page)
    page.wait_for_timeout(800)
    drawn = page.evaluate(
        r"""() => {
          const net = window.__kgNetworks.paths_graph;
          const spec = window.__kgViews.paths_graph.spec();
          const chosen = new Set(spec.paths[1]);
          const edges = net.body.data.edges.get();
          const nodes = net.body.data.nodes.get();
          const onPath = new Set(spec.path_nodes[1]);
          return {
            wide: edges.filter(e => chosen.has(e.id)).every(e => e.width >= 4),
            thin: edges.filter(e => !chosen.has(e.id)).every(e => e.width <= 1.5),
            dim: nodes.filter(n => !onPath.has(n.id)).every(n => n.opacity < 1),
            ends: nodes.filter(n => /\((start|end)\)$/.test(n.label)).length,
          };
        }"""
    )
    assert drawn == {"wide": True, "thin": True, "dim": True, "ends": 2}
    assert "path=2" in page.url
    shot(page, "paths-selected")


def test_the_editor_marks_an_error_completes_and_runs_with_ctrl_enter(page, server) -> None:
    broken = "SELECT * WHERE {\n  ?s ?p\n}"
    goto(page, f"{server}/?page=SPARQL&query={quote(broken)}")
    page.locator(".cm-editor").wait_for(timeout=30_000)
    page.locator(".cm-lintRange-error").wait_for(timeout=10_000)
    marked = page.evaluate(
        """() => {
          const editor = window.__kgEditors.sparql_editor.view;
          const range = editor.contentDOM.querySelector(".cm-lintRange-error");
          const pos = editor.posAtDOM(range);
          const line = editor.state.doc.lineAt(pos);
          return {line: line.number, column: pos - line.from + 1};
        }"""
    )
    assert marked == {"line": 2, "column": 3}  # where the parser stopped
    shot(page, "sparql-error")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("ASK { ?s a mlc:Ro")
    page.keyboard.press("Control+Space")
    page.locator(".cm-tooltip-autocomplete").get_by_text("mlc:Role", exact=True).wait_for(
        timeout=10_000
    )
    page.keyboard.press("Escape")
    page.keyboard.type("le }")
    page.keyboard.press("Control+Enter")
    wait_idle(page)
    page.get_by_test_id("stMetric").filter(has_text="Answer").wait_for(timeout=30_000)
    assert "yes" in page.get_by_test_id("stMetric").inner_text()
    assert page.locator(".cm-lintRange-error").count() == 0
    assert "query=ASK" in page.url


def test_a_bar_in_the_overview_opens_explore_on_it(page, server) -> None:
    goto(page, f"{server}/?page=Overview")
    bar = page.locator("[aria-roledescription='bar'][aria-label*='concept: Python;']")
    bar.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    bar.click()
    wait_title(page, "Python")
    wait_network(page, "explore_graph")
    assert "focus=https%3A%2F%2Fw3id.org%2Fmlcareer%2Fid%2FPython" in page.url


def test_the_first_view_has_readable_labels_and_a_legend_that_hides_a_class(page, server) -> None:
    goto(page, server)
    wait_network(page, "explore_graph")
    found = page.evaluate(
        """() => {
          const net = window.__kgNetworks.explore_graph;
          const scale = net.getScale();
          const boxes = [];
          for (const id of net.body.nodeIndices) {
            const node = net.body.nodes[id];
            const size = node.labelModule.size;
            const font = node.labelModule.fontOptions.size;
            boxes.push({id, font, left: size.left, top: size.top,
                        right: size.left + size.width, bottom: size.top + size.height});
          }
          let overlaps = 0;
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
              overlaps += 1;
          }
          const box = net.body.container.getBoundingClientRect();
          return {smallest: Math.min(...boxes.map(b => b.font)) * scale, overlaps,
                  width: box.width, height: box.height, nodes: boxes.length,
                  bottom: box.bottom, window: window.innerHeight};
        }"""
    )
    assert found["nodes"] > 20
    assert found["smallest"] >= 12  # pixels on the screen
    assert found["overlaps"] == 0
    assert found["width"] > 800 and found["height"] > 500  # fills the width and the window
    assert found["bottom"] <= found["window"]
    skills = page.locator(".kg-legend-item[data-kg-class='Skill']")
    skills.click()
    hidden = page.evaluate(
        "() => window.__kgNetworks.explore_graph.body.data.nodes.get()"
        ".filter(n => n.kgClass === 'Skill').every(n => n.hidden)"
    )
    assert hidden and skills.get_attribute("aria-pressed") == "false"
    skills.click()
    shown = page.evaluate(
        "() => window.__kgNetworks.explore_graph.body.data.nodes.get()"
        ".filter(n => n.kgClass === 'Skill').every(n => !n.hidden)"
    )
    assert shown


def test_nothing_is_requested_outside_the_machine(page, server, outside) -> None:
    goto(page, f"{server}/?page=Overview")
    page.get_by_text("Concepts by class").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    shot(page, "overview")
    assert outside == [], json.dumps(outside, indent=1)


def test_the_sidebar_chooses_the_view_and_the_address_keeps_it(page, server) -> None:
    role = "https://w3id.org/mlcareer/ontology#Role"
    hostile = "graph=javascript:alert(1)&lang=%3Cimg%20src%3Dx%3E"
    goto(page, f"{server}/?show=schema&focus={quote(role)}&{hostile}")
    wait_network(page, "explore_graph")
    wait_title(page, "Role")  # a class is a node of the schema view
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert "lang=" not in page.url and "javascript" not in page.url
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebarContent")
    sidebar.get_by_text("Both", exact=True).click()
    page.wait_for_function("() => location.search.includes('show=both')", timeout=30_000)
    wait_idle(page)
    go_to_page(page, "Overview")
    assert "show=both" in page.url  # the graph's settings go with every page
