"""The Streamlit app, page by page, through ``streamlit.testing.v1.AppTest``.

Widgets are found by ``key``; each test checks what the page shows and that no
exception escaped. The click on the canvas itself is exercised in
``test_browser.py``; here a click is what it leads to: the focus changing.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).parent.parent.parent
APP = str(ROOT / "streamlit_app.py")
PYTHON = "https://w3id.org/mlcareer/id/Python"


def open_app(page: str = "Explore", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = page
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page shows as text, for plain substring checks."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "text", "subheader", "header")
        for e in getattr(at, kind)
    ]
    parts += [
        e.value for kind in ("error", "warning", "info", "success") for e in getattr(at, kind)
    ]
    parts += [b.label for b in at.button]
    return shown(parts)


def shown(parts: Iterable[object]) -> str:
    """Markdown sources as a reader sees them: escapes, references and word joiners gone."""
    text = "\n".join(str(p) for p in parts).replace("\\", "")
    return html.unescape(text).replace("\u2060", "")


def errors(at: AppTest) -> str:
    return shown(e.value for e in at.error)


def warnings(at: AppTest) -> str:
    return shown(e.value for e in at.warning)


def panel(at: AppTest) -> dict:
    """The node panel the Explore page hands to the graph component (drawn in the browser)."""
    drawn = [e for e in at.get("bidi_component") if e.proto.component_name == "mlcareer_network"]
    assert drawn, "no graph drawn"
    data = json.loads(drawn[0].proto.json)
    assert data.get("panel"), "no panel handed to the graph"
    return data["panel"]


def panel_title(at: AppTest) -> str:
    """The heading of the node panel: the node selected, else the focus."""
    assert at.session_state["focus"], "no focus"
    return panel(at)["label"]


def panel_text(at: AppTest) -> str:
    """Every text the panel shows, for plain substring checks."""
    data = panel(at)
    parts = [data["label"], data["kind"], *data["aliases"], data["definition"], data["mentioned"]]
    for group in data["groups"]:
        parts.append(group["label"])
        parts += [f"{i['label']} · {i['kind']}: {i['evidence']}" for i in group["items"]]
    return "\n".join(parts)


def table(at: AppTest, *columns: str):
    """The one table drawn with these columns (tables carry no key a test can read)."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, f"{len(found)} tables with columns {columns}"
    return found[0]


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, f"no metric {label!r}"
    return found[0]


# -- Explore -----------------------------------------------------------------------------
def test_explore_opens_on_a_default_focus() -> None:
    at = open_app()
    assert not at.exception
    assert panel_title(at) == "machine learning engineer"
    assert panel(at)["relations"] > 0 and panel(at)["groups"]
    assert "left out by the node cap" in texts(at)


def test_search_focuses_the_chosen_concept() -> None:
    at = open_app()
    at.selectbox(key="explore_search").set_value("Python · Tool").run()
    assert not at.exception
    assert panel_title(at) == "Python"
    assert at.session_state["focus"] == PYTHON
    assert at.query_params["focus"] == PYTHON


def test_focus_forgives_typos() -> None:
    # Typing a new text into the search box is driven in test_browser.py: AppTest cannot
    # enter a value that is not among a selectbox's options.
    at = open_app(focus="pyhton")
    assert not at.exception
    assert panel_title(at) == "Python"
    assert at.query_params["focus"] == PYTHON


def test_the_panel_lists_every_relation_of_the_node_with_nodes_of_the_graph() -> None:
    # A click on one of them is driven in test_browser.py (it is drawn in the browser).
    at = open_app(focus="Python")
    data = panel(at)
    assert data["label"] == "Python" and data["complete"]
    listed = sum(len(g["items"]) for g in data["groups"])
    assert listed == sum(min(g["total"], 25) for g in data["groups"]) == data["relations"]
    ids = {i["id"] for g in data["groups"] for i in g["items"]}
    assert ids and all(i.startswith("https://w3id.org/mlcareer/") for i in ids)
    assert data["id"] == PYTHON and PYTHON not in ids


def test_the_panel_is_read_once_per_node_and_option(monkeypatch) -> None:
    # Every rerun sends the panel; a hub's panel reads all its statements, so reruns that
    # change nothing it shows reuse it (a slider), and one that changes it reads it again.
    import app.components.scene as scene

    read: list[tuple[str, bool]] = []

    def counted(kg, node, *, inferred):
        read.append((node, inferred))
        return scene_panel_data(kg, node, inferred=inferred)

    scene_panel_data = scene.panel_data
    scene._panel.clear()
    monkeypatch.setattr(scene, "panel_data", counted)
    at = open_app(focus="Python")
    assert read == [(PYTHON, True)]
    at.slider(key="explore_hops").set_value(2).run()
    assert not at.exception and read == [(PYTHON, True)]
    at.toggle(key="explore_inferred").set_value(False).run()
    assert read == [(PYTHON, True), (PYTHON, False)]
    assert panel_title(at) == "Python"


def test_panel_shows_sources_and_agreement() -> None:
    at = open_app(focus="Python")
    shown = panel_text(at)
    assert "stated by" in shown and "of 4 articles" in shown
    assert "Mentioned by 4 of 4 articles" in shown
    assert "programming language" in shown.lower()


def test_filters_and_cap_come_from_the_address() -> None:
    at = open_app(focus="machine learning engineer", hops="2", cap="10", classes="Skill")
    assert not at.exception
    assert at.slider(key="explore_hops").value == 2
    assert at.slider(key="explore_cap").value == 10
    assert at.multiselect(key="explore_classes").value == ["Skill"]
    assert "11 nodes" in texts(at)


def test_inferred_statements_can_be_switched_off() -> None:
    at = open_app(focus="core ML engineer")
    with_inferred = at.session_state["view_explore"].edges
    at.toggle(key="explore_inferred").set_value(False).run()
    assert not at.exception
    assert at.query_params["inferred"] == "0"
    without = at.session_state["view_explore"].edges
    assert any(e.inferred for e in with_inferred)
    assert not any(e.inferred for e in without)


def test_table_view_lists_what_the_graph_draws() -> None:
    at = open_app(focus="Python")
    at.toggle(key="explore_tables").set_value(True).run()
    assert not at.exception
    nodes = table(at, "label", "class", "IRI")
    assert "Python" in set(nodes["label"])
    edges = table(at, "from", "relation", "to")
    assert len(edges) == len(at.session_state["view_explore"].edges)


def test_unknown_focus_says_so_once_and_shows_the_default_view() -> None:
    at = open_app(focus="https://evil.example.com/login")
    assert not at.exception
    assert len(at.warning) == 1 and not at.error
    assert "does not have" in warnings(at)
    assert "](" not in at.warning[0].value and "https://" not in at.warning[0].value
    assert at.text[0].value == "Not found: https://evil.example.com/login"  # plain text
    assert panel_title(at) == "machine learning engineer"


def test_each_page_owns_its_address() -> None:
    at = open_app(focus="Python", hops="2", inferred="0")
    at.radio(key="page").set_value("Compare").run()
    assert not at.exception
    assert set(at.query_params) == {"page"}
    at.radio(key="page").set_value("Explore").run()
    assert at.query_params["focus"] == PYTHON and at.query_params["hops"] == "2"


def test_steps_in_the_address_grow_the_view() -> None:
    at = open_app(focus="Python")
    first = {n.id for n in at.session_state["view_explore"].nodes}
    science = "https://w3id.org/mlcareer/id/DataScientist"
    at = open_app(focus="Python", step=["+" + science])
    grown = {n.id for n in at.session_state["view_explore"].nodes}
    assert not at.exception
    assert first < grown
    assert "+ data scientist" in texts(at)  # the breadcrumb
    at = open_app(focus="Python", step=["+" + science, "-" + science])
    assert science not in {n.id for n in at.session_state["view_explore"].nodes}


# -- Paths -------------------------------------------------------------------------------
def test_question_lists_paths() -> None:
    at = open_app("Paths", q="skills linking Python to Core ML engineer")
    assert not at.exception
    assert "paths from Python to core ML engineer through skills" in at.success[0].value
    assert at.button(key="paths_node_1_0").label == "Python"
    assert at.session_state["view_paths"].paths


def test_question_typed_in_the_box() -> None:
    at = open_app("Paths")
    at.text_input(key="paths_question").input("path from Python to data scientist")
    at.button(key="paths_ask").click().run()
    assert not at.exception
    assert at.success
    assert at.query_params["q"] == "path from Python to data scientist"


def test_form_finds_paths_through_classes() -> None:
    at = open_app("Paths", **{"from": "Python", "to": "core ML engineer", "via": "Skill"})
    assert not at.exception
    assert at.success


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param(
            "what is the meaning of life", "questions i understand", id="unknown-phrasing"
        ),
        pytest.param(
            "path from Pyhtonnn snake to data scientist", "no node matches", id="unknown-node"
        ),
    ],
)
def test_bad_questions_are_explained(question: str, expected: str) -> None:
    at = open_app("Paths", q=question)
    assert not at.exception
    assert expected in errors(at).lower()


# -- SPARQL ------------------------------------------------------------------------------
def test_gallery_query_runs_and_offers_downloads() -> None:
    at = open_app("SPARQL")
    at.selectbox(key="sparql_gallery").set_value("05-tools-by-kind")
    at.button(key="sparql_load").click().run()
    assert not at.exception
    rows = [d.value for d in at.dataframe]
    assert len(rows) == 1 and len(rows[0]) > 0
    assert at.query_params["query"]
    assert "rows in" in texts(at)


def test_construct_is_drawn_as_a_graph() -> None:
    query = "CONSTRUCT { ?r mlc:usesTool ?t } WHERE { ?r mlc:usesTool ?t }"
    at = open_app("SPARQL", query=query, view="table")
    assert not at.exception
    assert at.session_state["view_query"].edges
    assert len(table(at, "from", "relation", "to")) == len(at.session_state["view_query"].edges)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("SELECT * WHERE { ?s ?p }", "line 1, column", id="malformed"),
        pytest.param("DROP ALL", "read-only", id="update"),
        pytest.param(
            "SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE", id="service"
        ),
    ],
)
def test_bad_queries_are_refused_with_a_reason(query: str, expected: str) -> None:
    at = open_app("SPARQL", query=query)
    assert not at.exception
    assert expected in errors(at)


# -- Compare, Overview, Export ------------------------------------------------------------
def test_compare_two_roles() -> None:
    at = open_app("Compare", a="data scientist · Role", b="machine learning engineer · Role")
    assert not at.exception
    assert [s.value.split(":")[0] for s in at.subheader] == ["Skills", "Tools", "Qualifications"]
    assert "Only data scientist" in texts(at)
    assert "shared of" in at.subheader[0].value
    python = [b for b in at.button if b.label.replace("\\", "").startswith("Python (")]
    assert python and python[0].help and "stated by" in python[0].help  # sources on hover
    assert set(at.query_params) == {"page", "a", "b"}  # nothing from another page


def test_compare_takes_typed_names_on_a_graph_too_large_to_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.components.data.LISTED_NODES_MAX_TRIPLES", 0)
    at = open_app("Compare", a="data scientist", b="machine learning engineer")
    assert not at.exception
    assert at.text_input(key="compare_a").value == "data scientist"
    assert "Only data scientist" in texts(at)
    at.text_input(key="compare_b").set_value("zzqx scientist").run()
    assert "did you mean" in errors(at)


def test_overview_counts_and_sources() -> None:
    at = open_app("Overview")
    assert not at.exception
    assert int(metric(at, "Concepts").replace(",", "")) > 100
    sources = table(at, "article", "statements")
    assert len(sources) == 4
    assert all(n > 0 for n in sources["statements"])


@pytest.mark.parametrize(
    "fmt", ["ttl", "trig", "nt", "nq", "jsonld", "xml", "graphml", "gexf", "csv", "cyjs", "html"]
)
def test_export_the_whole_graph(fmt: str) -> None:
    at = open_app("Export")
    at.selectbox(key="export_format").set_value(fmt).run()
    assert not at.exception
    assert at.get("download_button")
    assert "bytes" in texts(at)


def test_export_offers_the_explore_view() -> None:
    at = open_app(focus="Python")
    at.radio(key="page").set_value("Export").run()
    assert not at.exception
    assert "The Explore view" in at.radio(key="export_what").options
    assert "Neighbourhood of Python" in texts(at)


# -- Your data ---------------------------------------------------------------------------
XSS = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/a> skos:prefLabel "<img src=x onerror=window.__xss=1> href" ;
    <http://example.org/knows> <http://example.org/b> .
<http://example.org/b> skos:prefLabel "[b](http://example.org/) **bold**" .
"""


def test_upload_replaces_the_knowledge_base() -> None:
    at = open_app("Your data")
    at.file_uploader(key="upload_files").set_value(("mine.ttl", XSS, "text/turtle"))
    at.button(key="upload_load").click().run()
    assert not at.exception
    assert "mine.ttl" in texts(at)
    at.radio(key="page").set_value("Explore").run()
    assert not at.exception
    # The label goes to the browser as data; the panel sets it as text (test_browser.py).
    assert "<img" in panel_title(at)


def test_malformed_upload_is_an_error_and_changes_nothing() -> None:
    at = open_app("Your data")
    at.file_uploader(key="upload_files").set_value(
        ("broken.ttl", b"<http://e/a> <http://e/p> .", "text/turtle")
    )
    at.button(key="upload_load").click().run()
    assert not at.exception
    assert "broken.ttl" in errors(at) and "line 1" in errors(at)
    assert "user_graph" not in at.session_state
    assert "Exploring the embedded knowledge base" in texts(at)


def test_validation_report_of_an_upload() -> None:
    at = open_app("Your data")
    at.file_uploader(key="upload_files").set_value(("mine.ttl", XSS, "text/turtle"))
    at.button(key="upload_load").click().run()
    at.button(key="upload_validate").click().run()
    assert not at.exception
    assert "conform" in texts(at)


def test_unreachable_endpoint_is_an_error() -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    at = open_app("Your data")
    at.text_input(key="upload_endpoint").input(f"http://127.0.0.1:{port}/query")
    at.button(key="upload_connect").click().run()
    assert not at.exception
    assert "127.0.0.1" in errors(at)  # the graph's vocabulary is read when connecting
    assert "user_graph" not in at.session_state


def test_a_label_and_number_result_can_be_a_bar_chart() -> None:
    query = "SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
    at = open_app("SPARQL", query=query, view="chart")
    assert not at.exception
    assert at.query_params["view"] == "chart"
    assert not at.dataframe  # the chart replaces the table
    assert "36 rows" in texts(at) or "rows in" in texts(at)


def test_an_ask_answer_is_yes_or_no() -> None:
    at = open_app("SPARQL", query="ASK { ?s a mlc:Role }")
    assert not at.exception
    assert metric(at, "Answer") == "yes"
    assert "0 results" not in texts(at) and "ASK in" in texts(at)


# -- links with values no widget allows ---------------------------------------------------
@pytest.mark.parametrize(
    ("params", "hops", "k"),
    [
        pytest.param({"max_hops": "0"}, 1, 5, id="no-hops"),
        pytest.param({"max_hops": "100"}, 8, 5, id="hundred-hops"),
        pytest.param({"k": "10000"}, 4, 10, id="ten-thousand-paths"),
        pytest.param({"k": "-1", "max_hops": "-5"}, 1, 1, id="negative"),
    ],
)
def test_paths_links_outside_the_sliders_ranges_open_at_the_nearest_value(params, hops, k):
    at = open_app("Paths", q="path from Python to data scientist", **params)
    assert not at.exception
    assert (at.session_state["paths_max_hops"], at.session_state["paths_k"]) == (hops, k)


def test_an_explore_link_with_a_cap_off_its_step_opens():
    at = open_app("Explore", focus=PYTHON, cap="7", hops="99")
    assert not at.exception
    assert (at.session_state["explore_cap"], at.session_state["explore_hops"]) == (5, 3)


# -- endpoints a visitor may name --------------------------------------------------------------
def _connect(at: AppTest, url: str) -> AppTest:
    at.text_input(key="upload_endpoint").input(url)
    at.button(key="upload_connect").click()
    return at.run()


def test_an_app_served_to_others_lets_visitors_name_no_endpoint(monkeypatch, loopback_listener):
    at = open_app("Your data")
    monkeypatch.setattr("streamlit.get_option", _address_option("0.0.0.0"))
    at = _connect(at, loopback_listener.url.decode())
    assert "not among the endpoints this app allows" in errors(at)
    assert loopback_listener.connections == []


def test_only_the_allowed_endpoints_are_contacted(monkeypatch, loopback_listener):
    allowed = f"http://127.0.0.1:{loopback_listener.port}/sparql"
    monkeypatch.setattr("sys.argv", ["streamlit_app.py", "--allow-endpoint", allowed])
    at = open_app("Your data")
    at = _connect(at, "http://169.254.169.254/latest/meta-data")
    assert "not among the endpoints this app allows" in errors(at)
    assert loopback_listener.connections == []


def _address_option(address: str):
    import streamlit

    real = streamlit.get_option

    def get_option(key: str):
        return address if key == "server.address" else real(key)

    return get_option
