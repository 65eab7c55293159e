"""The Analyse page: a posting read against the graph, its text shown escaped, hostile input
refused with a message, and the analysis offered as a source to download."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import graph
from app.pages.analyse import highlighted, text_of
from graph.query.analyse import MAX_CHARS

from .test_app import APP, errors, texts

ML = "https://w3id.org/mlcareer/id/"
#: A posting written for these tests.
POSTING = """Junior machine learning engineer, Lisbon

You will build models with Python and PyTorch, keep our pipelines in Snowflake,
and explain results to the product team.
We value statistics, linear algebra and some experience with Docker.
"""


def open_analyse(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "Analyse"
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def submit(at: AppTest, text: str) -> AppTest:
    at.text_area(key="analyse_text").set_value(text)
    return at.button(key="analyse_go").click().run()


def body(at: AppTest) -> str:
    """The HTML the page shows the text as (one element)."""
    found = [e.proto.body for e in at.get("html")]
    assert len(found) == 1, f"{len(found)} html elements"
    return found[0]


def tags(value: str) -> list[str]:
    """The tags of ``value``: only the page's own (the box and the marks) may be there."""
    return sorted(set(re.findall(r"</?([a-zA-Z]+)", value)))


def test_a_posting_shows_its_mentions_roles_and_new_terms() -> None:
    at = submit(open_analyse(), POSTING)
    assert not at.exception
    shown = texts(at)
    assert "mentions highlighted" in shown
    for name in ("Python", "PyTorch", "statistics", "linear algebra"):
        assert f">{name}</mark>" in body(at)
    assert '<mark title="Python (Tool)">' in body(at)
    assert "Snowflake" in shown  # a term the graph lacks
    assert any("machine learning engineer" in p.text.replace("\\", "") for p in at.get("progress"))


def test_with_what_i_have_the_gap_and_the_plan_are_shown() -> None:
    at = submit(open_analyse(have=["Python", "statistics"]), POSTING)
    assert not at.exception
    shown = texts(at)
    assert re.search(r"This text asks for \d+ things?; you have 2", shown)
    assert "Missing: " in shown and "Plan towards" in shown


def test_html_with_a_script_is_read_as_text_and_shown_escaped() -> None:
    hostile = (
        "<p>We need <b>Python</b> &amp; SQL.</p><script>alert(1)</script>"
        "<img src=x onerror=alert(2)> [a link](https://evil.example) :red[red] $x$"
    )
    at = submit(open_analyse(), hostile)
    assert not at.exception
    shown = body(at)
    assert "alert(1)" not in shown  # the script's content is not text
    assert tags(shown) == ["div", "mark"]
    assert ">Python</mark>" in shown and "[a link](https://evil.example)" in shown


def test_a_tag_free_text_with_markup_characters_is_shown_literally() -> None:
    text = "Python [x](javascript:alert(1)) **bold** <not a tag and :red[red] & co"
    at = submit(open_analyse(), text)
    assert not at.exception
    shown = body(at)
    assert tags(shown) == ["div", "mark"]
    assert "&lt;not a tag" in shown and "&amp; co" in shown


def test_a_megabyte_or_a_binary_file_is_refused_before_any_work() -> None:
    megabyte = b"Python and SQL. " * 65_536
    with pytest.raises(
        graph.TooLarge, match=r"big\.txt has 1,048,576 characters; the analyser reads up to 200,000"
    ):
        text_of("", ("big.txt", megabyte))
    with pytest.raises(graph.TooLarge, match="the pasted text has 4,194,304 characters"):
        text_of(megabyte.decode() * 4)  # pasted past the box's own limit
    with pytest.raises(graph.BadInput, match="not text"):
        text_of("", ("photo.txt", bytes(range(256)) * 16))
    with pytest.raises(graph.TooLarge, match=r"huge\.txt is 4,000,000 bytes"):
        text_of("", ("huge.txt", b"a" * 4_000_000))


def test_a_pasted_text_past_the_limit_is_cut_by_the_box() -> None:
    at = open_analyse()
    assert at.text_area(key="analyse_text").max_chars == MAX_CHARS


def test_an_empty_text_is_a_message() -> None:
    at = submit(open_analyse(), "   ")
    assert not at.exception
    assert "empty" in errors(at)


def test_highlighting_escapes_every_piece_and_every_name() -> None:
    text = "<b>Python</b> [y](http://e.org)"
    shown = highlighted(text, [(3, 9, '"><script>x</script>')])
    assert tags(shown) == ["div", "mark"]
    assert 'title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in shown


def test_plan_opens_the_plan_page_towards_the_role() -> None:
    at = submit(open_analyse(have=["Python"]), POSTING)
    at.button(key="analyse_plan_0").click().run()
    assert not at.exception
    assert at.session_state["page"] == "Plan"
    assert at.session_state["plan_have"] == [ML + "Python"]
    assert "towards" in texts(at)


def test_save_as_a_source_offers_a_download() -> None:
    at = submit(open_analyse(), POSTING)
    at.text_input(key="analyse_title").set_value("Junior ML engineer, Lisbon").run()
    assert not at.exception
    assert not errors(at)
    assert any(
        "Download the source" in str(getattr(e, "proto", "")) for e in at.get("download_button")
    )


def test_what_i_have_can_be_pasted_on_the_analyse_page_too() -> None:
    at = open_analyse()
    at.text_area(key="analyse_have_paste").set_value("Python; statistics").run()
    at.button(key="analyse_have_add").click().run()
    assert not at.exception
    assert at.session_state["analyse_have"] == [ML + "Python", ML + "Statistics"]
    assert "Statistics" in str(at.query_params["have"])
