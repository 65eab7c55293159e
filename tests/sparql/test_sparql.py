"""The SPARQL console: the guard, the time, row and memory limits, the forms and the formats."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph
from graph import sparql
from graph.backends import query_pool
from graph.backends.base import RawResult
from graph.backends.local import LocalBackend
from graph.core.kg import KnowledgeGraph
from graph.errors import BadInput, LimitExceeded, QuerySyntaxError, QueryTimeout, UnsafeQuery
from graph.io.loading import RdfSource
from graph.sparql import check_query, format_result, gallery, run_query
from graph.terms import Lit

DATA = Path(__file__).parent.parent / "data"
ML = "https://w3id.org/mlcareer/id/"
#: A guard against hangs, not a measure of speed.
HANG = 60.0


@pytest.fixture(scope="module")
def mini() -> KnowledgeGraph:
    return graph.load([DATA / "mini.trig"], default=False)


@pytest.fixture(scope="module")
def big() -> KnowledgeGraph:
    """3,000 statements: a three-way cartesian product over them never ends in time."""
    lines = (
        f"<http://example.org/n{i}> <http://example.org/p{i % 7}> "
        f"<http://example.org/n{(i * 31) % 3000}> .\n"
        for i in range(3000)
    )
    data = "".join(lines).encode()
    return KnowledgeGraph.from_sources([RdfSource("big.nt", data, ox.RdfFormat.N_TRIPLES)])


@pytest.fixture
def listener(loopback_listener):
    return loopback_listener


# -- the guard -------------------------------------------------------------------------------
SERVICE_QUERIES = [
    pytest.param("SELECT * { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }", id="service"),
    pytest.param(
        "select * { service silent <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
        id="service-lower-case-silent",
    ),
    pytest.param(
        "SELECT * { ?a ?b ?c OPTIONAL { { SELECT * { SERVICE <http://127.0.0.1:{port}/x> "
        "{ ?s ?p ?o } } } } }",
        id="service-in-optional-subselect",
    ),
    pytest.param(
        "SELECT * { ?a ?b ?c FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/x> { ?a ?p ?o } } }",
        id="service-in-filter-exists",
    ),
    pytest.param(
        "SELECT * { ?a ?b ?c FILTER NOT EXISTS { SERVICE SILENT <http://127.0.0.1:{port}/x> "
        "{ ?a ?p ?o } } }",
        id="service-in-filter-not-exists",
    ),
    pytest.param(
        "SELECT * { { ?a ?b ?c } UNION { SERVICE <http://127.0.0.1:{port}/x> { ?a ?b ?c } } }",
        id="service-in-union",
    ),
    pytest.param(
        "SELECT * { ?a ?b ?c MINUS { SERVICE <http://127.0.0.1:{port}/x> { ?a ?b ?c } } }",
        id="service-in-minus",
    ),
    pytest.param(
        "ASK { GRAPH ?g { SERVICE ?endpoint { ?a ?b ?c } } VALUES ?endpoint "
        "{ <http://127.0.0.1:{port}/x> } }",
        id="service-variable-in-graph-ask",
    ),
    pytest.param(
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
        id="service-in-construct",
    ),
    pytest.param(
        "DESCRIBE ?s WHERE { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
        id="service-in-describe",
    ),
    # SPARQL ends a comment at CR; a guard that ends it at LF only misses the SERVICE
    pytest.param(
        "SELECT ?s WHERE { # x\r SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } \n}",
        id="service-after-a-comment-ended-by-cr",
    ),
    pytest.param(
        "SELECT ?s WHERE { # x\r\r\nSERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
        id="service-after-cr-cr-lf",
    ),
    pytest.param(
        "SELECT ?s WHERE {\r# x\rSERVICE\r<http://127.0.0.1:{port}/x>\r{ ?s ?p ?o }\r}",
        id="service-in-a-query-of-cr-lines",
    ),
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_is_refused_and_nothing_is_contacted(mini, listener, template):
    query = template.replace("{port}", str(listener.port))
    before = mini.triple_count()
    with pytest.raises(UnsafeQuery, match="SERVICE is refused"):
        run_query(mini, query, timeout=5)
    time.sleep(0.1)  # a connection attempt, had there been one, has reached the listener
    assert listener.connections == []
    assert mini.triple_count() == before


@pytest.mark.parametrize(
    ("query", "match"),
    [
        pytest.param(
            "SELECT * FROM <file:///etc/hostname> WHERE { ?s ?p ?o }", "FROM", id="from-file"
        ),
        pytest.param(
            "SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }",
            "FROM",
            id="from-named-file",
        ),
        pytest.param("ASK FROM <http://127.0.0.1:9/x> { ?s ?p ?o }", "FROM", id="from-url-ask"),
        pytest.param("DROP ALL", "read-only", id="drop-all"),
        pytest.param("LOAD <http://127.0.0.1:9/data.ttl>", "read-only", id="load-url"),
        pytest.param(
            "LOAD <file:///etc/hostname> INTO GRAPH <http://e/g>", "read-only", id="load-file"
        ),
        pytest.param(
            "INSERT DATA { <http://e/a> <http://e/p> <http://e/b> }", "read-only", id="insert-data"
        ),
        pytest.param("DELETE WHERE { ?s ?p ?o }", "read-only", id="delete-where"),
        pytest.param(
            "PREFIX e: <http://e/>\n# a comment\nclear graph e:g",
            "read-only",
            id="clear-after-prologue-lower-case",
        ),
        pytest.param("CREATE GRAPH <http://e/g>", "read-only", id="create"),
        pytest.param("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o", "read-only", id="malformed-update"),
        pytest.param(
            "SELECT * { ?s ?p ?o } ; DROP ALL", "malformed SPARQL", id="query-then-update"
        ),
    ],
)
def test_refused_before_running(mini, query, match):
    before = mini.triple_count()
    with pytest.raises((UnsafeQuery, QuerySyntaxError), match=match):
        run_query(mini, query)
    assert mini.triple_count() == before


@pytest.mark.parametrize(
    "line_end", ["\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
)
def test_every_line_break_ends_a_comment_for_guard_and_engine_alike(mini, listener, line_end):
    """A server may end a comment at any Unicode line break: all of them are read as one."""
    query = (
        f"SELECT ?s WHERE {{ ?s ?p ?o # x{line_end} SERVICE "
        f"<http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} \n}} LIMIT 1"
    )
    with pytest.raises(UnsafeQuery, match="SERVICE is refused"):
        run_query(mini, query, timeout=5)
    time.sleep(0.1)
    assert listener.connections == []


ESCAPED_SERVICE = [
    # rdflib replaces \u escapes everywhere, Oxigraph only inside strings: here rdflib reads
    # a second string over the SERVICE pattern where Oxigraph reads a pattern; both now
    # read the text with its escapes replaced
    pytest.param(
        'SELECT * WHERE {{ ?s ?p "A\\u0022, " . SERVICE <http://127.0.0.1:{port}/x> '
        '{{ ?s ?p ?o }} # " .\n }}',
        id="quote-escape-hides-service-from-rdflib",
    ),
    pytest.param(
        "SELECT * WHERE {{ # \\u000a \\u0053ERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        id="escaped-line-break-and-keyword",
    ),
]


@pytest.mark.parametrize("template", ESCAPED_SERVICE)
def test_unicode_escapes_are_read_the_same_by_guard_and_engine(mini, listener, template):
    query = template.format(port=listener.port)
    try:
        run_query(mini, query, timeout=5)
    except UnsafeQuery as err:
        assert "SERVICE is refused" in str(err)
    time.sleep(0.1)
    assert listener.connections == []


def test_an_escape_that_writes_an_escape_is_refused(mini):
    with pytest.raises(QuerySyntaxError, match="writes another escape"):
        run_query(mini, 'SELECT * { BIND("\\u005Cu0041" AS ?x) }')


FUNCTIONS = [
    pytest.param("PREFIX bif: <bif:> SELECT (bif:sequence_next('s') AS ?x) {}", id="virtuoso-bif"),
    pytest.param("PREFIX sql: <sql:> SELECT (sql:f(1) AS ?x) {}", id="virtuoso-sql"),
    pytest.param("SELECT (<java:com.example.F>(1) AS ?x) {}", id="jena-java"),
    pytest.param("SELECT * { ?s ?p ?o FILTER(<http://e/f>(?o)) }", id="extension-in-filter"),
    pytest.param("SELECT (<http://e/agg>(DISTINCT ?o) AS ?x) { ?s ?p ?o }", id="custom-aggregate"),
    pytest.param(
        "SELECT * { ?s ?p ?o OPTIONAL { { SELECT * { BIND(<bif:now>() AS ?t) } } } }",
        id="nested-in-subselect",
    ),
]


@pytest.mark.parametrize("query", FUNCTIONS)
def test_functions_other_than_sparql_and_xsd_casts_are_refused(mini, query):
    with pytest.raises(UnsafeQuery, match=r"function .* is refused"):
        run_query(mini, query)


def test_sparql_functions_and_xsd_casts_run(mini):
    result = run_query(
        mini,
        "SELECT (xsd:integer('4') + STRLEN('ab') AS ?n) (xsd:string(1) AS ?s) {}",
    )
    assert result.rows[0]["n"].value == "6"


def test_the_query_process_reaches_no_server_even_past_the_guard(mini, listener):
    """Behind the guard, the process that runs queries has no network to call out on."""
    pool = query_pool.pool_for(mini.backend, sparql.DEFAULT_MEMORY_LIMIT)
    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    reply = pool.ask({"query": query, "prefixes": {}, "max_rows": 10}, timeout=HANG)
    time.sleep(0.1)
    if not pool.offline:
        pytest.skip("this kernel lets no process leave the network (no user namespaces)")
    assert "error" in reply
    assert listener.connections == []


def test_the_update_check_after_many_comment_lines_does_not_backtrack():
    """A run of ``#`` and a typo is read in linear time (40 ``#`` once took days)."""
    import subprocess
    import sys

    code = (
        "from graph.sparql import check_query\n"
        "from graph.errors import QuerySyntaxError\n"
        "try:\n    check_query('#' * 60 + '\\n' + '# #\\n' * 5000 + 'SELEC ?s {}')\n"
        "except QuerySyntaxError as err:\n    print(err)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG, check=True
    )
    assert "line 5002, column 1" in done.stdout


def test_from_reads_no_file(mini, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://e/secret> <http://e/p> 'leaked' .")
    with pytest.raises(UnsafeQuery):
        run_query(mini, f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}")


def test_the_read_only_message_says_why():
    with pytest.raises(UnsafeQuery) as info:
        check_query("DROP ALL")
    assert "read-only" in str(info.value)
    assert isinstance(info.value, BadInput)


@pytest.mark.parametrize(
    ("query", "line", "at"),
    [
        pytest.param("SELECT * WHERE {\n  ?s ?p ?o ?? }", 2, "?? }", id="stray-token"),
        pytest.param("SELECT * WHERE { ?s ?p ?o . FILTER(?x = ) }", 1, "FILTER", id="filter"),
        pytest.param(
            "SELECT *\nWHERE {\n  ?s ?p ?o .\n  ?s nope:x ?z }", 4, "nope:", id="unknown-prefix"
        ),
        pytest.param(
            "# a comment\nCONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
            2,
            "?s ?p }",
            id="construct-template",
        ),
        pytest.param("SELECT * { ?s ?p ?o }\nLIMIT", 2, "LIMIT", id="limit-without-number"),
        pytest.param("SELECT * { ?s <http://a b> ?o }", 1, "?s <http://a b>", id="bad-iri"),
    ],
)
def test_syntax_errors_point_at_the_users_text(mini, query, line, at):
    with pytest.raises(QuerySyntaxError) as info:
        run_query(mini, query)
    err = info.value
    assert err.line == line
    assert query.splitlines()[err.line - 1][err.column - 1 :].startswith(at)
    assert f"line {line}, column {err.column}" in str(err)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        pytest.param("", BadInput, id="empty"),
        pytest.param("   \n ", BadInput, id="blank"),
        pytest.param(
            "SELECT * {" + "{" * 2000 + "}" * 2000 + "}", QuerySyntaxError, id="deeply-nested"
        ),
        pytest.param("SELECT * { ?s ?p ?o } # " + "x" * 200_000, BadInput, id="too-long"),
    ],
)
def test_unusable_input(mini, query, error):
    with pytest.raises(error):
        run_query(mini, query)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        pytest.param("SELECT ?s { ?s a mlc:Role }", "SELECT", id="select"),
        pytest.param("ask { ml:Python ?p ?o }", "ASK", id="ask-lower-case"),
        pytest.param("CONSTRUCT WHERE { ?s a mlc:Role }", "CONSTRUCT", id="construct-where"),
        pytest.param("DESCRIBE ml:Python", "DESCRIBE", id="describe"),
        pytest.param(
            "PREFIX mlc: <https://w3id.org/mlcareer/ontology#>\nSELECT * { ?s a mlc:Role }",
            "SELECT",
            id="redeclared-prefix",
        ),
        pytest.param("SELECT * { GRAPH ?g { ?s ?p ?o } }", "SELECT", id="graph-pattern"),
        pytest.param(
            'SELECT ?service { ?service mlc:service "customer SERVICE" } # service',
            "SELECT",
            id="the-word-service-in-names-strings-comments",
        ),
    ],
)
def test_check_query_names_the_form(query, form):
    assert check_query(query) == form


# -- running ---------------------------------------------------------------------------------
def test_select_with_the_project_prefixes(mini):
    result = run_query(
        mini, "SELECT ?role ?label { ?role a mlc:Role ; skos:prefLabel ?label } ORDER BY ?label"
    )
    assert result.form == "SELECT"
    assert result.variables == ["role", "label"]
    assert result.rows[0] == {
        "role": ML + "AppliedMLEngineer",
        "label": Lit(
            "Applied ML engineer", "en", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
        ),
    }
    assert not result.truncated and result.notes == []


def test_unbound_variables_are_left_out_of_a_row(mini):
    result = run_query(
        mini,
        "SELECT ?s ?alt { VALUES ?s { ml:GDPR ml:Python } "
        "OPTIONAL { ?s skos:altLabel ?alt } } ORDER BY ?s",
    )
    assert [set(row) for row in result.rows] == [{"s", "alt"}, {"s"}]


def test_union_of_named_graphs_is_the_default_graph(mini):
    result = run_query(
        mini, "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ml:MLEngineer ?p ?o } }"
    )
    assert int(result.rows[0]["n"].value) >= 3
    assert run_query(mini, "ASK { ml:MLEngineer mlc:requiresSkill ml:Programming }").boolean


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("ASK { ml:Python a mlc:ProgrammingLanguage }", True, id="true"),
        pytest.param("ASK { ml:Python a mlc:Role }", False, id="false"),
    ],
)
def test_ask(mini, query, expected):
    result = run_query(mini, query)
    assert result.form == "ASK" and result.boolean is expected


def test_construct(mini):
    result = run_query(
        mini, "CONSTRUCT { ?r mlc:requiresSkill ?s } WHERE { ?r mlc:requiresSkill ?s }"
    )
    assert result.form == "CONSTRUCT"
    assert (
        ML + "MLEngineer",
        "https://w3id.org/mlcareer/ontology#requiresSkill",
        ML + "Programming",
    ) in result.triples


def test_describe(mini):
    result = run_query(mini, "DESCRIBE ml:Python")
    assert result.form == "DESCRIBE"
    labels = [o for s, p, o in result.triples if p.endswith("prefLabel")]
    assert labels == [Lit("Python", "en", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")]


@pytest.mark.parametrize(
    ("query", "unit"),
    [
        pytest.param("SELECT * { ?s ?p ?o }", "rows", id="select"),
        pytest.param("CONSTRUCT WHERE { ?s ?p ?o }", "triples", id="construct"),
    ],
)
def test_rows_past_the_limit_are_cut_with_a_note(mini, query, unit):
    result = run_query(mini, query, max_rows=10)
    assert result.truncated
    assert len(result.rows or result.triples) == 10
    assert result.notes and result.notes[0].startswith(f"showing the first 10 {unit}")


def test_the_default_note_names_ten_thousand_rows(big):
    result = run_query(big, "SELECT ?s ?o { ?s ?p ?x . ?y ?q ?o } LIMIT 10001")
    assert result.truncated and len(result.rows) == 10_000
    assert result.notes[0].startswith("showing the first 10,000 rows")


def test_a_result_at_the_limit_is_not_truncated(mini):
    result = run_query(mini, "SELECT * { ?s ?p ?o } LIMIT 10", max_rows=10)
    assert not result.truncated and len(result.rows) == 10 and result.notes == []


def test_a_runaway_query_is_stopped_and_the_next_one_answers(big):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after 2 s"):
        run_query(big, "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=2)
    assert time.monotonic() - started < HANG
    assert run_query(big, "ASK { ?s ?p ?o }").boolean is True


def test_a_query_past_the_memory_cap_is_stopped_and_the_next_one_answers(big):
    with pytest.raises(LimitExceeded, match="memory limit of 300 MB"):
        run_query(
            big,
            "SELECT ?a ?b { ?a ?p ?x . ?b ?q ?y } ORDER BY ?a ?b",
            timeout=HANG,
            memory_limit=300 * 1024**2,
        )
    assert run_query(big, "ASK { ?s ?p ?o }").boolean is True


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"timeout": 0}, id="zero-timeout"),
        pytest.param({"max_rows": 0}, id="zero-rows"),
        pytest.param({"memory_limit": -1}, id="negative-memory"),
    ],
)
def test_limits_must_be_positive(mini, kwargs):
    with pytest.raises(BadInput):
        run_query(mini, "ASK {}", **kwargs)


def test_engine_syntax_errors_are_reported(mini):
    # rdflib accepts this projection; Oxigraph rejects it with its own position
    with pytest.raises(QuerySyntaxError):
        run_query(mini, "SELECT ?o WHERE { ?s ?p ?o } GROUP BY ?s")


def test_an_on_disk_store_is_opened_read_only(tmp_path):
    writer = ox.Store(str(tmp_path / "db"))
    writer.load(path=str(DATA / "mini.trig"), format=ox.RdfFormat.TRIG)
    writer.flush()
    del writer  # both processes then read: Oxigraph leaves a reader beside a writer undefined
    store = ox.Store.read_only(str(tmp_path / "db"))
    kg = KnowledgeGraph(LocalBackend(store, path=str(tmp_path / "db")))
    assert run_query(kg, "ASK { ml:Python skos:prefLabel 'Python'@en }").boolean is True
    sparql.stop_workers(kg)


def test_the_worker_goes_with_its_graph():
    kg = KnowledgeGraph.from_sources(
        [RdfSource("a.nt", b"<http://e/a> <http://e/p> <http://e/b> .", ox.RdfFormat.N_TRIPLES)]
    )
    assert run_query(kg, "ASK { <http://e/a> ?p ?o }").boolean is True
    pids = query_pool.pool_for(kg.backend, sparql.DEFAULT_MEMORY_LIMIT).pids()
    assert pids
    del kg
    gc.collect()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


class _Endpoint:
    """A stand-in for a remote endpoint backend: records what it was asked."""

    remote = True

    def __init__(self) -> None:
        self.asked: list[tuple[str, float]] = []

    def run_query(self, text, limits):
        self.asked.append((text, limits.timeout))
        return RawResult("select", ["n"], [{"n": Lit(str(i))} for i in range(5)])


class _RemoteGraph:
    def __init__(self) -> None:
        self.backend = _Endpoint()


def test_a_remote_backend_gets_the_checked_query():
    kg = _RemoteGraph()
    result = run_query(kg, "SELECT ?n {}", timeout=3, max_rows=2)
    assert kg.backend.asked == [("SELECT ?n {}", 3)]
    assert len(result.rows) == 2 and result.truncated
    with pytest.raises(UnsafeQuery):
        run_query(kg, "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert len(kg.backend.asked) == 1


# -- formats ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def select_result(mini):
    return run_query(
        mini,
        "SELECT ?s ?label ?n { ?s skos:prefLabel ?label BIND(1 AS ?n) FILTER(?s = ml:Resume) }",
    )


def test_json_results_format(select_result):
    data = json.loads(format_result(select_result, "json"))
    assert data["head"]["vars"] == ["s", "label", "n"]
    (binding,) = data["results"]["bindings"]
    assert binding["s"] == {"type": "uri", "value": ML + "Resume"}
    assert binding["label"] == {"type": "literal", "value": "Résumé writing", "xml:lang": "en"}
    assert binding["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_json_of_ask(mini):
    assert json.loads(format_result(run_query(mini, "ASK {}"), "json")) == {
        "head": {},
        "boolean": True,
    }


def test_csv_results_format(select_result):
    text = format_result(select_result, "csv")
    assert text.startswith("s,label,n\r\n")
    assert list(csv.reader(io.StringIO(text)))[1] == [ML + "Resume", "Résumé writing", "1"]


def test_tsv_results_format(select_result):
    lines = format_result(select_result, "tsv").splitlines()
    assert lines[0] == "?s\t?label\t?n"
    assert lines[1].split("\t") == [
        f"<{ML}Resume>",
        '"Résumé writing"@en',
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]


def test_table_shortens_iris_and_aligns(select_result):
    lines = format_result(select_result, "table").splitlines()
    assert lines[0].split() == ["s", "label", "n"]
    assert lines[2].startswith("ml:Resume")
    assert lines[2].index("Résumé") == lines[0].index("label")


def test_table_blanks_control_characters():
    result = sparql.QueryResult("SELECT", ["x"], [{"x": Lit("a\x1b[31mred\nline")}])
    assert "\x1b" not in format_result(result) and "\n" not in format_result(result).split("\n")[2]


def test_table_of_no_rows_says_so(mini):
    assert "(no rows)" in format_result(run_query(mini, "SELECT ?s { ?s a mlc:Nothing }"))


@pytest.mark.parametrize("fmt", ["table", "turtle"])
def test_construct_as_turtle(mini, fmt):
    result = run_query(mini, "CONSTRUCT WHERE { ml:Python ?p ?o }")
    text = format_result(result, fmt)
    assert "@prefix ml:" in text and "@prefix esco:" not in text
    assert len(list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))) == len(result.triples)


def test_truncated_turtle_says_so_in_a_comment(mini):
    result = run_query(mini, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3)
    assert format_result(result, "turtle").startswith("# showing the first 3 triples")


def test_construct_as_json_ld(mini):
    result = run_query(mini, "DESCRIBE ml:Python")
    data = json.loads(format_result(result, "json"))
    assert any(node.get("@id") == ML + "Python" for node in data)


@pytest.mark.parametrize(
    ("fmt", "header"),
    [("csv", "subject,predicate,object"), ("tsv", "?subject\t?predicate\t?object")],
)
def test_construct_as_a_table_of_triples(mini, fmt, header):
    result = run_query(mini, "CONSTRUCT WHERE { ml:Python ?p ?o }")
    lines = format_result(result, fmt).splitlines()
    assert lines[0] == header and len(lines) == 1 + len(result.triples)


@pytest.mark.parametrize(
    ("fmt", "form"),
    [
        pytest.param("turtle", "SELECT", id="turtle-of-select"),
        pytest.param("xml", "SELECT", id="unknown-format"),
    ],
)
def test_unsupported_formats(fmt, form):
    with pytest.raises(BadInput):
        format_result(sparql.QueryResult(form), fmt)  # type: ignore[arg-type]


def test_to_dict_is_json(select_result):
    data = json.loads(json.dumps(select_result.to_dict()))
    assert data["form"] == "SELECT" and data["rows"][0]["s"]["type"] == "uri"


# -- the gallery -----------------------------------------------------------------------------
def test_gallery_queries_have_titles_and_pass_the_guard(mini):
    queries = gallery()
    assert queries, "ontology/queries holds no .rq file"
    for query in queries:
        assert query.title and query.description, query.name
        assert check_query(query.text) in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
        run_query(mini, query.text, timeout=20)


def test_gallery_reads_the_comment_header(tmp_path):
    (tmp_path / "02-b.rq").write_text("SELECT * {}\n")
    (tmp_path / "01-a.rq").write_text(
        "# title: Roles\n# description: Every role,\n#   with its label.\n"
        "SELECT ?r { ?r a mlc:Role }\n"
    )
    a, b = gallery(tmp_path)
    assert (a.name, a.title, a.description) == ("01-a", "Roles", "Every role, with its label.")
    assert a.text.endswith("SELECT ?r { ?r a mlc:Role }\n")
    assert (b.title, b.description) == ("B", "")


def test_gallery_of_a_missing_folder(tmp_path):
    with pytest.raises(BadInput):
        gallery(tmp_path / "nope")
