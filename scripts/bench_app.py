"""The app's speed as a person sees it: headless Chromium on a freshly started ``streamlit run``.

``task_app(data, store)`` starts the app of the working directory on a warm
store, opens the first page and times it until the graph of the default
focus is drawn, then times a click until the node's panel shows and Expand until
the new nodes (or the guard) show, then reruns: searching a concept, moving a
slider, opening each other page and coming back.  A rerun is timed from the action
to the moment its result shows (the new title, the new drawing, the page's
heading), polled every 20 ms.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
POLL = 0.02
#: Each page opened from the page switch, and the heading that shows it is there (Explore: drawn).
PAGES = {
    "Overview": "Overview",
    "Paths": "Paths",
    "Compare": "Compare two roles",
    "SPARQL": "SPARQL",
    "Export": "Export",
    "Explore": None,
}
#: Seconds a rerun may take before it is counted as this long and the next one starts.
TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _server(argv: list[str]) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--", *argv]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply,
            ):
                if reply.status == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError("streamlit exited")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _until(page: Any, script: str, arg: Any = None, timeout: float = 120.0) -> float:
    """Poll ``script`` in the page until it is true; the time it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if page.evaluate(script, arg):
            return time.perf_counter() - started
        time.sleep(POLL)
    raise TimeoutError(script[:80])


_APP = "document.querySelector('[data-testid=\"stApp\"]')"
#: The script ran since the action (Streamlit marks its state on the app's element) and is done.
_RAN = (
    "(globalThis.__benchStates || []).includes('running')"
    " && " + _APP + ".getAttribute('data-test-script-state') === 'notRunning'"
)
#: Records each state the app's element had since: a run that starts and ends between two
#: callbacks of the observer shows only in the records' old values.
_ARM = (
    "() => { globalThis.__benchStates = []; const app = " + _APP + ";"
    " new MutationObserver((records) => { for (const r of records)"
    " globalThis.__benchStates.push(r.oldValue);"
    " globalThis.__benchStates.push(app.getAttribute('data-test-script-state')); })"
    ".observe(app, {attributes: true, attributeOldValue: true,"
    " attributeFilter: ['data-test-script-state']}); }"
)
_IDLE = _APP + ".getAttribute('data-test-script-state') === 'notRunning'"
_DRAWN = (
    "(id) => { const n = globalThis.__kgNetworks && globalThis.__kgNetworks.explore_graph;"
    " return " + _RAN + " && !!n && (!id || !!n.body.data.nodes.get(id)); }"
)
_FIRST = (
    "() => !!" + _APP + " && " + _APP + ".getAttribute('data-test-script-state') === 'notRunning'"
    " && !!globalThis.__kgNetworks && !!globalThis.__kgNetworks.explore_graph"
)
#: Every element matching a selector, in the page and in its components' shadow roots.
_DEEP = (
    "const deep = (sel) => { const out = []; const walk = (root) => {"
    " root.querySelectorAll(sel).forEach((e) => out.push(e));"
    " root.querySelectorAll('*').forEach((e) => { if (e.shadowRoot) walk(e.shadowRoot); }); };"
    " walk(document); return out; };"
)
#: The node panel (drawn in the graph's component) is complete and names ``t``; a label drawn
#: shortened ends in an ellipsis: the heading starts with what it shows.
_TITLE = (
    "(t) => { " + _DEEP + " return " + _RAN + " && deep('.kg-panel[aria-busy=false] h3')"
    ".some(h => h.textContent.trim().startsWith(t.replace(/…$/, ''))); }"
)
#: The panel names ``t``, complete or not yet (drawn in the browser at the click).
_PANEL = (
    "(t) => { " + _DEEP + " return deep('.kg-panel h3')"
    ".some(h => h.textContent.trim().startsWith(t.replace(/…$/, ''))); }"
)
#: The complete panel (the click's run answered) names ``t``.
_COMPLETE = (
    "(t) => { " + _DEEP + " return deep('.kg-panel[aria-busy=false] h3')"
    ".some(h => h.textContent.trim().startsWith(t.replace(/…$/, ''))); }"
)
#: More nodes drawn than ``n``, or the guard before a large expansion shown.
_GREW = (
    "(n) => Object.keys(globalThis.__kgNetworks.explore_graph.getPositions()).length > n"
    " || document.body.innerText.includes('By relation:')"
)
_EXPAND = (
    "() => { const hosts = [...document.querySelectorAll('.stBidiComponent *')]"
    ".filter((e) => e.shadowRoot); for (const h of hosts) {"
    " const b = h.shadowRoot.querySelector('.kg-action[data-action=expand]');"
    " if (b) { b.click(); return true; } } return false; }"
)
#: The page headed ``t`` is shown and its run is over (its heading was not there before the
#: click: no need to have seen the run start, which a quick run can do unobserved).
_HEADER = (
    "(t) => " + _IDLE + " && [...document.querySelectorAll('h2')]"
    ".some(h => h.textContent.trim() === t)"
)


def _timed(action: Callable[[], None], page: Any, script: str, arg: Any) -> float:
    page.evaluate(_ARM)
    started = time.perf_counter()
    try:
        action()
        _until(page, script, arg, timeout=TIMEOUT)
    except Exception as err:  # a widget not there in time (Playwright's error), or no answer
        print(f"(the app did not show {arg!r} within {TIMEOUT:g} s: {err})"[:300], file=sys.stderr)
        return TIMEOUT  # counted as the time waited: the slowest figure says so
    return time.perf_counter() - started


def task_app(data: str = "", store: str = "") -> dict[str, Any]:
    """The first page and the reruns on ``data`` in ``store`` (the embedded base without them)."""
    from playwright.sync_api import sync_playwright

    argv = ["--no-default", "--data", data, "--store", store] if data else []
    reruns: dict[str, float] = {}
    with _server(argv) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.goto(base)
        _until(page, _FIRST, None)
        first = time.perf_counter() - started
        for i in range(2):
            node, label = _drawn(page)[0]
            reruns[f"click a node ({i + 1})"] = _timed(
                lambda n=node: _click(page, n), page, _TITLE, label
            )
        shown_at_click, grown = _panel_and_expand(page)
        for _node, label in _drawn(page)[:1]:
            reruns["search a concept"] = _timed(
                lambda w=label: _search(page, w), page, _TITLE, label
            )
        page.get_by_text("Filters and limits").click()
        thumb = page.get_by_test_id("stSlider").filter(has_text="Hops").get_by_role("slider")
        for name, key in (("hops to 2", "ArrowRight"), ("hops back to 1", "ArrowLeft")):
            reruns[name] = _timed(lambda k=key: thumb.press(k), page, _DRAWN, None)
        for title, heading in PAGES.items():
            reruns[f"page {title}"] = _timed(
                lambda t=title: _pages(page).get_by_text(t, exact=True).click(),
                page,
                _HEADER if heading else _DRAWN,
                heading,
            )
        browser.close()
    times = list(reruns.values())
    return {
        "first": first,
        "rerun_median": statistics.median(times),
        "rerun_max": max(times),
        "reruns": reruns,
        "click_to_panel": statistics.median(shown_at_click),
        "expand": statistics.median(grown),
    }


def _panel_and_expand(page: Any) -> tuple[list[float], list[float]]:
    """Click-to-panel (the panel names the node) and Expand (new nodes drawn, or the guard
    shown), twice each, on nodes of the current view."""
    shown, grown = [], []
    for node, label in _drawn(page)[:2]:
        started = time.perf_counter()
        _click(page, node)
        with contextlib.suppress(TimeoutError):
            _until(page, _PANEL, label, timeout=TIMEOUT)
        shown.append(time.perf_counter() - started)
        _until(page, _COMPLETE, label, timeout=TIMEOUT)  # the click's run answered
        _settle(page)
        drawn = page.evaluate(
            "() => Object.keys(globalThis.__kgNetworks.explore_graph.getPositions()).length"
        )
        started = time.perf_counter()
        page.evaluate(_EXPAND)
        with contextlib.suppress(TimeoutError):
            _until(page, _GREW, drawn, timeout=TIMEOUT)
        grown.append(time.perf_counter() - started)
        _settle(page)
        with contextlib.suppress(Exception):  # a guard left open would hold the next clicks
            page.get_by_role("button", name="Cancel").click(timeout=2000)
        time.sleep(1.0)
    return shown, grown


def _settle(page: Any) -> None:
    """Wait until no run of the script is under way (none started within a moment)."""
    time.sleep(0.5)
    _until(page, "() => " + _APP + ".getAttribute('data-test-script-state') !== 'running'")


def _pages(page: Any) -> Any:
    """The page switch: the radio group offering every page (the sidebar has radios too)."""
    return page.get_by_test_id("stRadio").filter(has_text="Your data").first


def _drawn(page: Any) -> list[tuple[str, str]]:
    """(IRI, label) of the nodes drawn besides the focus, once the layout has placed them."""
    _until(
        page,
        "() => { const n = globalThis.__kgNetworks.explore_graph;"
        " return Object.keys(n.getPositions()).length === n.body.data.nodes.length; }",
    )
    time.sleep(1.5)  # let the layout settle before clicking (not part of any timing)
    found = page.evaluate(
        """() => {
          const net = globalThis.__kgNetworks.explore_graph;
          const box = net.body.container.getBoundingClientRect();
          const pos = net.getPositions();
          return net.body.data.nodes.get().filter(n => {
            const d = net.canvasToDOM(pos[n.id]);
            return d.x > 40 && d.y > 40 && d.x < box.width - 40 && d.y < box.height - 40;
          }).map(n => [n.id, n.label]);
        }"""
    )
    current = page.locator("h3").first.inner_text().strip()
    return [(i, label) for i, label in found if label and label != current]


def _click(page: Any, node: str) -> None:
    point = page.evaluate(
        """(id) => {
          const net = globalThis.__kgNetworks.explore_graph;
          const dom = net.canvasToDOM(net.getPositions([id])[id]);
          const box = net.body.container.getBoundingClientRect();
          return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node,
    )
    page.mouse.click(point["x"], point["y"])


def _search(page: Any, word: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text="Search a concept")
    box.locator("input").click()
    box.locator("input").fill(word)
    page.keyboard.press("Enter")


if __name__ == "__main__":
    print(task_app(*sys.argv[1:]))
