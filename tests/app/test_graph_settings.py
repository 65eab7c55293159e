"""The sidebar's *What is shown*: the command line's --view, --lang and --graph in the app.

Each setting is in the address (``show=``, ``lang=``, ``graph=``), checked when
read, kept across pages, and never shown as markup.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.components.choice import VIEW_NAMES
from graph.core.choice import VIEWS

from .test_app import panel_title

APP = str(Path(__file__).parent.parent.parent / "streamlit_app.py")
ROLE = "https://w3id.org/mlcareer/ontology#Role"
SECTION = "https://w3id.org/mlcareer/source/a002-key-takeaways-i1"
LANGS = b"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix e: <http://example.org/> .
e:Animal a rdfs:Class ; rdfs:label "animal"@en, "Tier"@de .
e:cat a e:Animal ; rdfs:label "cat"@en, "Katze"@de ; e:eats e:fish .
e:fish a e:Animal ; rdfs:label "fish"@en, "Fisch"@de .
"""


def open_app(page: str = "Explore", **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = page
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def title(at: AppTest) -> str:
    return panel_title(at)


def everything_shown(at: AppTest) -> str:
    kinds = ("markdown", "caption", "text", "subheader", "error", "warning", "info")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_the_sidebar_offers_the_view_the_language_and_the_graphs() -> None:
    at = open_app()
    assert not at.exception
    assert at.sidebar.radio(key="graph_view").options == [VIEW_NAMES[v] for v in VIEWS]
    assert at.sidebar.radio(key="graph_view").value == "auto"
    assert at.sidebar.text_input(key="graph_lang").value == "en"
    assert SECTION in at.sidebar.multiselect(key="graph_graphs").options
    assert set(at.query_params) == {"focus", "node"}  # defaults stay out of the address


def test_the_schema_view_from_the_address_shows_classes_as_nodes() -> None:
    at = open_app(focus=ROLE)
    assert "does not have" in everything_shown(at)  # instances only: a class is no node
    at = open_app(show="schema", focus=ROLE)
    assert not at.exception and not at.warning
    assert title(at) == "Role"
    assert "schema view" in everything_shown(at)
    at.radio(key="page").set_value("Compare").run()  # the graph's settings go with every page
    assert at.query_params["show"] == "schema"


def test_choosing_the_view_in_the_sidebar_writes_the_address() -> None:
    at = open_app()
    at.sidebar.radio(key="graph_view").set_value("both").run()
    assert not at.exception
    assert at.query_params["show"] == "both"


def test_the_label_language_picks_the_labels_of_an_upload() -> None:
    at = open_app("Your data")
    at.file_uploader(key="upload_files").set_value(("langs.ttl", LANGS, "text/turtle"))
    at.button(key="upload_load").click().run()
    at.radio(key="page").set_value("Explore").run()
    at.query_params["focus"] = "http://example.org/cat"
    at.session_state["focus"] = "http://example.org/cat"
    at.run()
    assert title(at) == "cat"
    at.sidebar.text_input(key="graph_lang").set_value("DE").run()
    assert not at.exception
    assert title(at) == "Katze"
    assert at.query_params["lang"] == "de"


def test_a_typed_language_that_is_no_tag_is_refused_and_the_last_one_kept() -> None:
    at = open_app(lang="de")
    at.sidebar.text_input(key="graph_lang").set_value("<b>de</b>").run()
    assert not at.exception
    assert "is not a language tag" in " ".join(e.value for e in at.sidebar.error)
    assert at.sidebar.text_input(key="graph_lang").value == "de"
    assert at.query_params["lang"] == "de"


def test_a_named_graph_from_the_address_is_explored_alone() -> None:
    at = open_app(graph=SECTION)
    assert not at.exception
    assert at.sidebar.multiselect(key="graph_graphs").value == [SECTION]
    assert "1 named graph chosen" in everything_shown(at)
    assert at.query_params["graph"] == SECTION


def test_hostile_settings_in_the_address_are_dropped_and_never_markup() -> None:
    bad_graphs = ["javascript:alert(1)", 'http://e/"><img src=x onerror=alert(1)>']
    at = open_app(show="<b>schema</b>", lang="<img src=x>", graph=bad_graphs)
    assert not at.exception
    assert at.session_state["graph_view"] == "auto"
    assert at.session_state["graph_lang"] == "en"
    assert at.session_state["graph_graphs"] == []
    shown = everything_shown(at)
    assert "javascript" not in shown and "<img" not in shown and "<b>" not in shown
    assert "not in this data and left out" in shown
    assert not {"show", "lang", "graph"} & set(at.query_params)
