"""The graph view: styling, the vis-network data, and a page that is offline and escaped."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from graph.core.kg import KnowledgeGraph
from graph.errors import BadInput
from graph.io import view
from graph.io.loading import RdfSource
from graph.io.page import network_html, vis_assets
from graph.io.selection import Selection
from graph.io.view import PALETTE, SHAPES, legend, view_spec
from graph.query.neighbors import neighbors
from graph.query.paths import find_paths
from graph.vocab.namespaces import ML

OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
}
EVIL_LABEL = "<img src=x onerror=alert(1)> href"
EVIL_TURTLE = f"""
@prefix ml: <https://w3id.org/mlcareer/id/> .
@prefix mlc: <https://w3id.org/mlcareer/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ml:Evil a mlc:Skill ; skos:prefLabel "{EVIL_LABEL}"@en ;
    skos:definition "</script><script>alert(2)</script>"@en .
""".encode()
# An article, a section heading and a relation label that carry markup too.
EVIL_TRIG = b"""
@prefix ml: <https://w3id.org/mlcareer/id/> .
@prefix mlc: <https://w3id.org/mlcareer/ontology#> .
@prefix src: <https://w3id.org/mlcareer/source/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
src:sources { src:article-E a mlc:Article ; dct:title "<svg onload=alert(3)>" .
  src:e-1 a mlc:SourceSection ; dct:isPartOf src:article-E ; mlc:locator "<b>&amp;</b>" . }
src:schema { mlc:evilRel a owl:ObjectProperty ; rdfs:label "<iframe src=//x>"@en . }
src:e-1 { ml:MLEngineer mlc:requiresSkill ml:Evil . ml:Evil mlc:evilRel ml:Python . }
"""


@pytest.fixture(scope="module")
def evil_kg(mini_kg) -> KnowledgeGraph:
    """The mini graph plus a node, an article and a relation whose labels hold markup."""
    return mini_kg.with_sources(
        [
            RdfSource("evil.ttl", EVIL_TURTLE, ox.RdfFormat.TURTLE),
            RdfSource("evil.trig", EVIL_TRIG, ox.RdfFormat.TRIG),
        ]
    )


@pytest.fixture(scope="module")
def evil_page(evil_kg) -> str:
    sel = Selection.everything(evil_kg)
    sel.paths = find_paths(evil_kg, "Python", "Core ML engineer").paths[:1]
    return network_html(sel, kg=evil_kg, title="<img src=y onerror=alert(4)>")


# -- styling -------------------------------------------------------------------------
def test_every_class_has_a_colour_blind_safe_colour_and_a_style_of_its_own():
    assert PALETTE.keys() == SHAPES.keys()
    assert set(PALETTE.values()) - {"#999999"} <= OKABE_ITO
    first = [*list(SHAPES)[:11], "Resource"]  # vis-network has twelve shapes without images
    assert len({SHAPES[k] for k in first}) == len(first)
    styles = {(PALETTE[k], SHAPES[k]) for k in PALETTE}
    assert len(styles) == len(PALETTE)
    assert not styles & set(view.OTHER_STYLES)  # another vocabulary's class never looks like ours


def test_every_main_class_of_the_knowledge_base_has_its_own_legend_entry(kb):
    """The legend names each class the knowledge base uses, in the palette's order,
    ``Resource`` (anything else) last."""
    entries = legend(Selection.everything(kb).nodes)
    types = [e["type"] for e in entries]
    assert set(types) <= set(PALETTE), set(types) - set(PALETTE)
    for new in ("Artifact", "Challenge", "ProjectStage", "SeniorityLevel", "PayFactor", "Work"):
        assert new in types
    assert types == sorted(types, key=list(PALETTE).index)
    labels = {e["type"]: e["label"] for e in entries}
    assert labels["SeniorityLevel"] == "Seniority level" and labels["PayFactor"] == "Pay factor"


@pytest.mark.parametrize(
    ("node_type", "expected"),
    [
        pytest.param("Role", ("#E69F00", "star"), id="role"),
        pytest.param("Skill", ("#56B4E9", "dot"), id="skill"),
        pytest.param("Resource", (PALETTE["Resource"], SHAPES["Resource"]), id="anything-else"),
    ],
)
def test_node_style(node_type, expected):
    assert view.node_style(node_type) == expected


# -- the spec --------------------------------------------------------------------------
def test_spec_styles_every_node_by_its_class(mini_kg):
    spec = view_spec(Selection.everything(mini_kg), kg=mini_kg)
    for item in spec["nodes"]:
        colour, shape = view.node_style(item["kgClass"])
        assert (item["color"]["background"], item["shape"]) == (colour, shape)
    legend_types = [entry["type"] for entry in spec["legend"]]
    assert legend_types == ["Role", "Skill", "Tool", "Qualification", "Industry", "Regulation"]
    assert all({"type", "label", "color", "shape", "count"} == set(e) for e in spec["legend"])


def test_spec_tooltips_are_plain_text_with_definition_and_sources(mini_kg):
    spec = view_spec(Selection.from_neighbourhood(neighbors(mini_kg, "Python")), kg=mini_kg)
    python = next(n for n in spec["nodes"] if n["id"] == ML.Python)
    assert python["title"].splitlines()[:3] == [
        "Python",
        "Tool",
        "A general-purpose programming language.",
    ]
    assert "Mentioned in: Article A, Article B" in python["title"]
    uses = next(e for e in spec["edges"] if e["from"] == ML.Programming)
    assert uses["label"] == "uses tool" and uses["arrows"] == "to"
    assert "Article A (Skills)" in uses["title"] and "Article B (paragraph 1)" in uses["title"]


def test_inferred_edges_are_dashed(mini_kg):
    spec = view_spec(Selection.everything(mini_kg))
    assert all(e["dashes"] is e["inferred"] for e in spec["edges"])


def test_path_edges_are_highlighted_and_the_focus_stands_out(mini_kg):
    result = find_paths(mini_kg, "Python", "Core ML engineer", k=2)
    sel = Selection.from_neighbourhood(neighbors(mini_kg, "Programming", hops=2))
    spec = view_spec(sel, highlight_paths=result.paths[:1])
    on_path = {e.key for e in result.paths[0].edges}
    for item, edge in zip(spec["edges"], sel.edges, strict=True):
        assert item["path"] is (edge.key in on_path)
        assert item["width"] == (4 if edge.key in on_path else 1.5)
    assert len(spec["paths"]) == 1 and len(spec["paths"][0]) == len(on_path)
    focus = next(n for n in spec["nodes"] if n["id"] == ML.Programming)
    assert spec["focus"] == ML.Programming and focus["size"] > spec["nodes"][-1].get("size", 16)


def test_a_path_selection_highlights_its_own_paths_unless_told_not_to(mini_kg):
    sel = Selection.from_paths(find_paths(mini_kg, "Python", "Core ML engineer", k=1))
    assert all(e["path"] for e in view_spec(sel)["edges"])
    assert not any(e["path"] for e in view_spec(sel, highlight_paths=[])["edges"])


def test_repeated_nodes_and_edges_are_drawn_once(mini_kg):
    sel = Selection.from_paths(find_paths(mini_kg, "Python", "Core ML engineer", k=1))
    doubled = Selection(sel.nodes * 2, sel.edges * 2)
    spec = view_spec(doubled, highlight_paths=find_paths(mini_kg, "Python", "SQL"))
    assert len(spec["nodes"]) == len(sel.nodes) and len(spec["edges"]) == len(sel.edges)


# -- the assets ----------------------------------------------------------------------------
def test_vis_assets_come_from_pyvis_and_can_be_inlined():
    js, css = vis_assets()
    assert "vis-network" in js and ".vis-network" in css
    for text in (js, css):
        assert not re.search(r"</(script|style)", text, re.IGNORECASE)
        assert "<!--" not in text
    assert vis_assets() is vis_assets()  # read once


# -- the page ----------------------------------------------------------------------------------
class _Tags(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]


PAGE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "ul",
    "li",
    "span",
    "div",
    "aside",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "script",
}


def _without_vis(page: str) -> str:
    js, css = vis_assets()
    return page.replace(js, "").replace(css, "")


def test_page_inlines_vis_network_and_loads_nothing(evil_page):
    js, css = vis_assets()
    assert js in evil_page and css in evil_page
    assert "<script src" not in evil_page.lower() and "<link" not in evil_page.lower()
    parsed = _Tags(evil_page)
    assert parsed.tags <= PAGE_TAGS  # no element came from the data
    assert not [a for a in parsed.attributes if a[1] in {"src", "href", "action", "srcset"}]
    assert "default-src 'none'" in evil_page
    assert "bootstrap" not in evil_page.lower()


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param("<img", id="node-label"),
        pytest.param("<script>alert", id="definition"),
        pytest.param("<svg", id="article-title"),
        pytest.param("<b>", id="section"),
        pytest.param("<iframe", id="relation-label"),
    ],
)
def test_markup_from_data_is_never_raw_in_the_page(evil_page, markup):
    assert markup not in _without_vis(evil_page)


@pytest.mark.parametrize(
    "escaped",
    [
        pytest.param("&lt;img src=x onerror=alert(1)&gt; href", id="table-text"),
        pytest.param("\\u003cimg src=x onerror=alert(1)\\u003e href", id="json"),
        pytest.param("<title>&lt;img src=y onerror=alert(4)&gt;</title>", id="title"),
        pytest.param("<h1>&lt;img src=y onerror=alert(4)&gt;</h1>", id="heading"),
        pytest.param("&lt;svg onload=alert(3)&gt;", id="source-in-table"),
    ],
)
def test_markup_from_data_is_shown_escaped(evil_page, escaped):
    assert escaped in evil_page


def test_page_data_reads_back_to_the_labels(evil_page):
    block = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', evil_page, re.S
    )
    spec = json.loads(block.group(1))
    assert EVIL_LABEL in {n["label"] for n in spec["nodes"]}
    assert "<iframe src=//x>" in {e["label"] for e in spec["edges"]}
    scripts = _without_vis(evil_page).count("<script")
    assert scripts == 4  # data, vis-network, the renderer, the page's own code


def test_page_code_sets_tooltips_as_text(evil_page):
    own_code = _without_vis(evil_page)
    assert "textContent" in own_code and "innerHTML" not in own_code


def test_page_has_a_table_of_every_node_and_edge(mini_kg):
    sel = Selection.everything(mini_kg)
    page = network_html(sel, kg=mini_kg)
    assert page.count('<tr data-id="') == len(sel.nodes)
    assert f"<h2>Edges ({len(sel.edges)})</h2>" in page
    assert "Vectors and matrices." in page  # definitions, without the canvas


@pytest.mark.parametrize("height", [0, -5, "600px; background:url(x)", True])
def test_page_height_must_be_pixels(mini_kg, height):
    with pytest.raises(BadInput):
        network_html(Selection.everything(mini_kg), height=height)


# -- in a browser ------------------------------------------------------------------------------
def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
def test_page_draws_offline_and_shows_markup_as_text(evil_page, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if _chromium() is None:
        pytest.skip("no Chromium on this machine")
    page_file = tmp_path / "view.html"
    page_file.write_text(evil_page, encoding="utf-8")
    requests, dialogs, errors = [], [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium())
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.wait_for_function("window.graphView !== undefined", timeout=10_000)
        drawn = page.evaluate("window.graphView.network.body.data.nodes.length")
        point = page.evaluate(
            "(id) => { const n = window.graphView.network;"
            " return n.canvasToDOM(n.getPositions([id])[id]); }",
            ML.Evil,
        )
        box = page.locator("#network").bounding_box()
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("div.vis-tooltip .kg-tip", state="visible", timeout=5_000)
        tip_text = page.inner_text("div.vis-tooltip")
        tip_images = page.locator("div.vis-tooltip img").count()
        browser.close()
    assert requests == [page_file.as_uri()]
    assert not dialogs and not errors
    assert drawn == len(re.findall(r'<tr data-id="', evil_page))
    assert EVIL_LABEL in tip_text and tip_images == 0


def test_classes_of_other_vocabularies_get_a_fixed_style_of_their_own():
    esco = ["Occupation", "Competence", "Knowledge", "OccupationGroup", "SkillGroup"]
    styles = [view.node_style(c) for c in esco]
    assert len(set(styles)) == len(esco)  # told apart
    assert styles == [view.node_style(c) for c in esco]  # the same every time
    assert all(shape != "text" for _, shape in styles)
