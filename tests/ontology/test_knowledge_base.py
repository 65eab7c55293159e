"""The knowledge base itself: labels, provenance, figures and the paths the product promises.

The RDF under ``ontology/`` is loaded straight into a pyoxigraph store, so
these tests hold whatever the ``graph`` package does with it.
"""

from __future__ import annotations

import subprocess
import sys
from collections import deque
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from kb_support import ask, find_seeds, local, seeds_or_skip, select

ROOT = Path(__file__).resolve().parent.parent.parent
ONTOLOGY = ROOT / "ontology"
SEEDS = find_seeds()
SKIPPED = {"shapes", "rules", "queries"}

MLC = "https://w3id.org/mlcareer/ontology#"
ML = "https://w3id.org/mlcareer/id/"
SRC = "https://w3id.org/mlcareer/source/"
ARTICLE_FILES = {
    "000_5c06ce507eda4b7e.txt",
    "001_d2225df08d9f2641.txt",
    "002_b971eb43af7d4431.txt",
    "003_6afb2bd63552aeaa.txt",
}
CONCEPT_CLASSES = {
    "Role", "Skill", "Tool", "Qualification", "Industry", "Responsibility",
    "LearningParadigm", "Application", "Regulation", "Organization", "Figure",
}  # fmt: skip


@pytest.fixture(scope="session")
def store() -> ox.Store:
    """Every data file of the knowledge base in one store; .ttl files get a graph each."""
    result = ox.Store()
    for path in sorted(ONTOLOGY.rglob("*")):
        if path.suffix not in {".ttl", ".trig"} or SKIPPED & set(path.parts):
            continue
        if path.suffix == ".trig":
            result.load(path=str(path), format=ox.RdfFormat.TRIG)
        else:
            graph = ox.NamedNode(path.resolve().as_uri())
            result.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return result


@pytest.fixture(scope="session")
def asserted_edges(store: ox.Store) -> list[tuple[str, str, str]]:
    """Object-property statements between concepts in article and curated graphs."""
    rows = select(
        store,
        """SELECT DISTINCT ?s ?p ?o WHERE {
             GRAPH ?g { ?s ?p ?o }
             FILTER(STRSTARTS(STR(?g), STR(src:a0)) || ?g = src:curated)
             FILTER(STRSTARTS(STR(?s), STR(ml:)) && STRSTARTS(STR(?o), STR(ml:)))
           }""",
    )
    return [(s, p, o) for s, p, o in rows]


@pytest.fixture(scope="session")
def skills(store: ox.Store) -> set[str]:
    rows = select(store, "SELECT ?x WHERE { ?x a/rdfs:subClassOf* mlc:Skill }")
    return {row[0] for row in rows}


def undirected(edges: Iterable[tuple[str, str, str]]) -> dict[str, set[str]]:
    adjacency: dict[str, set[str]] = {}
    for s, _, o in edges:
        adjacency.setdefault(s, set()).add(o)
        adjacency.setdefault(o, set()).add(s)
    return adjacency


def shortest_path(
    adjacency: dict[str, set[str]], source: str, target: str, via: set[str] | None = None
) -> list[str] | None:
    """Breadth-first path from source to target; inner nodes restricted to ``via`` if given."""
    previous: dict[str, str | None] = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for nxt in adjacency.get(node, ()):
            if nxt in previous or (via is not None and nxt != target and nxt not in via):
                continue
            previous[nxt] = node
            queue.append(nxt)
    return None


# ---------------------------------------------------------------------------
# Concepts: class, one English preferred label, a definition
# ---------------------------------------------------------------------------


def test_vocabulary_is_large_and_covers_every_main_class(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?main (COUNT(DISTINCT ?x) AS ?n) WHERE {
             GRAPH src:vocabulary { ?x a ?c }
             ?c rdfs:subClassOf* ?main .
             VALUES ?main { mlc:Role mlc:Skill mlc:Tool mlc:Qualification mlc:Industry
               mlc:Responsibility mlc:LearningParadigm mlc:Application mlc:Regulation
               mlc:Organization mlc:Figure }
           } GROUP BY ?main""",
    )
    counts = {local(main): int(n) for main, n in rows}
    assert set(counts) == CONCEPT_CLASSES
    assert sum(counts.values()) >= 200
    assert counts["Role"] >= 10 and counts["Skill"] >= 60 and counts["Tool"] >= 20


def test_every_concept_has_one_english_label_a_definition_and_a_class(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?x (COUNT(DISTINCT ?l) AS ?labels) (COUNT(DISTINCT ?d) AS ?defs)
                  (COUNT(DISTINCT ?c) AS ?classes) WHERE {
             GRAPH src:vocabulary { ?x skos:prefLabel ?any }
             OPTIONAL { ?x skos:prefLabel ?l FILTER(LANG(?l) = "en") }
             OPTIONAL { ?x skos:definition ?d FILTER(LANG(?d) = "en") }
             OPTIONAL { ?x a ?c FILTER(STRSTARTS(STR(?c), STR(mlc:))) }
           } GROUP BY ?x""",
    )
    assert len(rows) >= 200
    bad = [(local(x), ls, ds, cs) for x, ls, ds, cs in rows if (ls, cs) != ("1", "1") or ds == "0"]
    assert bad == []


def test_every_concept_used_in_a_statement_is_declared(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?x WHERE {
             GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } }
             FILTER(STRSTARTS(STR(?g), STR(src:a0)) || ?g = src:curated)
             FILTER(STRSTARTS(STR(?x), STR(ml:)))
             FILTER NOT EXISTS { GRAPH src:vocabulary { ?x skos:prefLabel ?l } }
           }""",
    )
    assert rows == []


def test_every_declared_concept_is_said_something_about(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?x WHERE {
             GRAPH src:vocabulary { ?x skos:prefLabel ?l }
             FILTER NOT EXISTS {
               GRAPH ?g { { ?x ?p ?o FILTER(?p != skos:altLabel) } UNION { ?s ?q ?x } }
               FILTER(STRSTARTS(STR(?g), STR(src:a0)) || ?g = src:sources)
             }
           }""",
    )
    assert rows == []


def test_alternative_labels_never_repeat_the_preferred_label(store: ox.Store) -> None:
    assert not ask(
        store,
        """ASK { ?x skos:altLabel ?a ; skos:prefLabel ?p
                 FILTER(LCASE(STR(?a)) = LCASE(STR(?p))) }""",
    )


@pytest.mark.parametrize(
    ("concept", "variant"),
    [
        pytest.param("ReinforcementLearning", "reinforced learning", id="reinforced"),
        pytest.param("MachineLearningEngineer", "ML engineer", id="ml-engineer"),
        pytest.param("ArtificialIntelligence", "AI", id="ai"),
        pytest.param("GDPR", "GDPR", id="gdpr"),
        pytest.param("BachelorsDegree", "undergraduate degree", id="undergraduate"),
    ],
)
def test_spelling_variants_of_the_articles_are_alternative_labels(
    store: ox.Store, concept: str, variant: str
) -> None:
    assert ask(store, f'ASK {{ ml:{concept} skos:altLabel "{variant}"@en }}')


# ---------------------------------------------------------------------------
# Provenance
# ---------------------------------------------------------------------------


def test_all_four_articles_are_described(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?a ?id ?title WHERE { GRAPH src:sources {
             ?a a mlc:Article ; dct:identifier ?id ; dct:title ?title } }""",
    )
    assert {identifier for _, identifier, _ in rows} == ARTICLE_FILES
    if SEEDS is not None and SEEDS.is_dir():
        assert {p.name for p in SEEDS.glob("*.txt")} == ARTICLE_FILES


def test_every_article_section_graph_says_where_it_comes_from(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?g WHERE {
             GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(src:a0)))
             FILTER NOT EXISTS { GRAPH src:sources {
               ?g a mlc:SourceSection ; dct:isPartOf ?article ; mlc:locator ?where .
               ?article a mlc:Article } }
           }""",
    )
    assert rows == []


def test_each_article_contributes_many_section_graphs(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?id (COUNT(DISTINCT ?g) AS ?sections) (COUNT(*) AS ?statements) WHERE {
             GRAPH ?g { ?s ?p ?o } ?g dct:isPartOf ?a . ?a dct:identifier ?id
           } GROUP BY ?id""",
    )
    per_article = {identifier: (int(n), int(m)) for identifier, n, m in rows}
    assert set(per_article) == ARTICLE_FILES
    assert all(sections >= 5 and statements >= 50 for sections, statements in per_article.values())


def test_a_statement_made_by_several_articles_is_counted_once_per_article(
    store: ox.Store,
) -> None:
    rows = select(
        store,
        """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
             GRAPH ?g { ml:MachineLearningEngineer mlc:usesTool ml:Python }
             ?g dct:isPartOf ?a }""",
    )
    assert int(rows[0][0]) >= 3


def test_curated_graph_is_small_and_declared(store: ox.Store) -> None:
    assert ask(store, "ASK { GRAPH src:sources { src:curated a mlc:CuratedGraph } }")
    assert ask(store, "ASK { GRAPH src:sources { src:inferred a mlc:InferredGraph } }")
    count = select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH src:curated { ?s ?p ?o } }")
    assert 0 < int(count[0][0]) <= 10


def test_every_property_used_is_declared_in_the_schema(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?p WHERE {
             GRAPH ?g { ?s ?p ?o }
             FILTER(STRSTARTS(STR(?g), STR(src:)) && STRSTARTS(STR(?p), STR(mlc:)))
             FILTER NOT EXISTS { ?p rdfs:label ?label }
           }""",
    )
    assert rows == []


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def test_every_figure_has_a_number_and_a_source_and_money_a_currency(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?f ?number ?currency ?article ?money WHERE {
             ?f a/rdfs:subClassOf* mlc:Figure .
             OPTIONAL { ?f mlc:value|mlc:median|mlc:mean|mlc:minValue|mlc:maxValue ?number
                        FILTER(DATATYPE(?number) = xsd:decimal) }
             OPTIONAL { ?f mlc:startYear ?start . BIND(STR(?start) AS ?number) }
             OPTIONAL { ?f mlc:currency ?currency }
             OPTIONAL { ?f dct:source ?article . ?article a mlc:Article }
             BIND(EXISTS { ?f a/rdfs:subClassOf* mlc:MoneyFigure } AS ?money)
           }""",
    )
    assert len({f for f, *_ in rows}) >= 12
    assert all(number and article for _, number, _, article, _ in rows)
    assert all(currency for _, _, currency, _, money in rows if money == "true")
    assert not [f for f, _, currency, _, money in rows if money == "false" and currency]


def test_disagreeing_entry_level_salaries_are_both_kept_with_their_sources(
    store: ox.Store,
) -> None:
    """An upper bound credited to nobody (001) and a rough start credited to the BLS (003)."""
    rows = select(
        store,
        """SELECT ?kind ?amount ?article ?org WHERE {
             ?role mlc:atSeniority ml:EntryLevel ; mlc:broader ml:MachineLearningEngineer ;
                   mlc:earns ?f .
             ?f mlc:currency "USD" ; ?p ?amount ; dct:source ?article .
             VALUES (?p ?kind) { (mlc:value "value") (mlc:maxValue "at most") }
             OPTIONAL { ?f mlc:citedOrganization/skos:prefLabel ?org } }""",
    )
    assert {(k, float(a), local(s), o) for k, a, s, o in rows} == {
        ("at most", 98000.0, "article-001", ""),
        ("value", 78190.0, "article-003", "Bureau of Labor Statistics"),
    }


def test_market_size_figures_come_from_the_market_report(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?amount ?year ?reported WHERE {
             ?f a mlc:MarketSizeFigure ; mlc:measures ml:MachineLearningMarket ;
                mlc:citedOrganization ml:FortuneBusinessInsights ; mlc:currency "USD" ;
                mlc:value ?amount ; mlc:asOf ?year ; mlc:reportedIn ?reported }""",
    )
    assert sorted((float(a), y, r) for a, y, r in rows) == [
        (21.7e9, "2022", "2022"),
        (209.9e9, "2029", "2022"),  # a forecast made in 2022
    ]


# ---------------------------------------------------------------------------
# The paths and questions the product promises
# ---------------------------------------------------------------------------


def test_core_ml_engineer_combines_both_variants_plus_modelling_and_evaluation(
    store: ox.Store,
) -> None:
    assert ask(
        store,
        """ASK { GRAPH src:a001-career-paths-i3 {
             ml:CoreMLEngineer mlc:combinesSkillsOf ml:MLSoftwareEngineer, ml:AppliedMLEngineer ;
               mlc:requiresSkill ml:DataModeling, ml:ModelEvaluation } }""",
    )


def test_skills_link_python_to_core_ml_engineer(
    store: ox.Store, asserted_edges: list[tuple[str, str, str]], skills: set[str]
) -> None:
    path = shortest_path(undirected(asserted_edges), ML + "Python", ML + "CoreMLEngineer", skills)
    assert path is not None
    assert all(node in skills for node in path[1:-1]) and len(path) >= 3
    direct = select(
        store,
        """SELECT ?skill WHERE { ml:CoreMLEngineer mlc:requiresSkill ?skill .
                                ?skill mlc:usesTool ml:Python }""",
    )
    assert (ML + "Programming",) in direct


def test_linear_algebra_is_connected_to_the_deep_learning_engineer(
    store: ox.Store, asserted_edges: list[tuple[str, str, str]]
) -> None:
    assert ask(store, "ASK { ml:DeepLearningEngineer mlc:requiresSkill ml:LinearAlgebra }")
    path = shortest_path(
        undirected(asserted_edges), ML + "LinearAlgebra", ML + "DeepLearningEngineer"
    )
    assert path == [ML + "LinearAlgebra", ML + "DeepLearningEngineer"]


def test_tools_shared_by_data_scientist_and_ml_engineer(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?tool WHERE {
             ml:DataScientist mlc:usesTool ?tool .
             ml:MachineLearningEngineer mlc:usesTool ?tool }""",
    )
    assert {local(t) for (t,) in rows} >= {"Python", "R"}
    assert "SAS" not in {local(t) for (t,) in rows}


def test_qualifications_leading_to_ml_engineer(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?q ?class WHERE {
             { ?q mlc:leadsTo ml:MachineLearningEngineer }
             UNION { ml:MachineLearningEngineer mlc:requiresQualification ?q }
             ?q a ?class }""",
    )
    names = {local(q) for q, _ in rows}
    assert names >= {
        "BachelorsInComputerScience", "BachelorsInMathematics", "BachelorsInDataScience",
        "AdvancedDegreeInMachineLearning", "AdvancedDegreeInDataScience",
        "AdvancedDegreeInComputerScience", "AdvancedDegreeInComputingOrMathematics",
        "AdvancedDegree", "HandsOnExperience", "MLCertification", "OnlineCourse", "Bootcamp",
        "SkillsCourse", "TechnicalTraining",
    }  # fmt: skip
    assert {local(c) for _, c in rows} >= {
        "Degree", "DegreeLevel", "Certification", "Course", "Experience",
    }  # fmt: skip
    # A degree names its level and field; a field of study is knowledge, not a qualification.
    fields = select(
        store,
        """SELECT DISTINCT ?field WHERE {
             ?q mlc:leadsTo ml:MachineLearningEngineer ; mlc:inField ?field }""",
    )
    assert {local(f) for (f,) in fields} >= {
        "ComputerScience", "Mathematics", "DataScience", "MachineLearning",
    }  # fmt: skip
    assert not ask(store, "ASK { ?q mlc:leadsTo ?role ; a/rdfs:subClassOf* mlc:Knowledge }")


def test_regulations_concerning_data_privacy(store: ox.Store) -> None:
    rows = select(store, "SELECT ?r WHERE { ?r a mlc:Regulation ; mlc:concerns ml:DataPrivacy }")
    assert {local(r) for (r,) in rows} == {"GDPR", "CCPA"}


@pytest.mark.parametrize(
    ("industry", "application"),
    [
        pytest.param("Healthcare", "DrugDiscovery", id="healthcare"),
        pytest.param("Finance", "FraudDetection", id="finance"),
        pytest.param("Retail", "ProductRecommendation", id="retail"),
        pytest.param("Energy", "PowerConsumptionOptimization", id="energy"),
    ],
)
def test_industries_use_machine_learning_for_named_applications(
    store: ox.Store, industry: str, application: str
) -> None:
    assert ask(
        store,
        f"""ASK {{ ml:{application} mlc:appliedIn ml:{industry} .
                  ml:MachineLearning mlc:usedFor ml:{application} ;
                                     mlc:appliedIn ml:{industry} }}""",
    )


def test_ml_engineer_languages_frameworks_and_libraries(store: ox.Store) -> None:
    """Tools of the ML engineer, at any level (article 001's list is for the entry level)."""
    rows = select(
        store,
        """SELECT DISTINCT ?tool ?class WHERE {
             ?role mlc:broader* ml:MachineLearningEngineer ; mlc:usesTool ?tool .
             ?tool a ?class }""",
    )
    by_class: dict[str, set[str]] = {}
    for tool, cls in rows:
        by_class.setdefault(local(cls), set()).add(local(tool))
    assert by_class["ProgrammingLanguage"] >= {"Python", "R", "Java", "CPlusPlus", "Scala", "C"}
    assert by_class["Framework"] == {"TensorFlow", "Keras", "PyTorch"}
    assert by_class["Library"] >= {"ScikitLearn", "Mlpack", "Theano"}


# ---------------------------------------------------------------------------
# The coverage script
# ---------------------------------------------------------------------------


def test_coverage_script_reports_mentions_and_unmatched_terms(tmp_path: Path) -> None:
    article = tmp_path / "sample.txt"
    article.write_text(
        "A machine-learning engineer writes Python with TensorFlow and reinforced learning.\n"
        "She also uses Quantumflux Studio daily.\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "coverage.py"), str(article)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    out = result.stdout
    mentioned = next(line for line in out.splitlines() if line.startswith("concepts mentioned"))
    for label in ("machine learning engineer", "Python", "TensorFlow", "reinforcement learning"):
        assert label in mentioned
    assert "Quantumflux Studio" in next(
        line for line in out.splitlines() if line.startswith("unmatched")
    )
    assert "summary sample.txt: 4 concepts mentioned" in out


def test_coverage_finds_nothing_unmatched_in_the_source_articles() -> None:
    articles = sorted(str(path) for path in seeds_or_skip().glob("*.txt"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "coverage.py"), *articles],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    summaries = [line for line in result.stdout.splitlines() if line.startswith("summary")]
    assert len(summaries) == 4
    assert all(line.endswith(" 0 unmatched") for line in summaries)
