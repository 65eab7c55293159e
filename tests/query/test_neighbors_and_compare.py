"""Neighbourhoods (capped, filtered) and role comparison."""

from __future__ import annotations

import pytest

from graph.query.compare import compare
from graph.query.neighbors import neighbors


def test_neighbourhood_is_capped_and_counts_what_it_left_out(mini_kg) -> None:
    full = neighbors(mini_kg, "ML engineer", hops=1, limit=100)
    capped = neighbors(mini_kg, "ML engineer", hops=1, limit=3)
    assert len(capped.nodes) == 3
    assert capped.omitted == len(full.nodes) - 3
    two_hops = neighbors(mini_kg, "ML engineer", hops=2, limit=3)
    assert two_hops.omitted >= capped.omitted  # nodes beyond the cap are not explored
    assert sum(capped.omitted_by_type.values()) == capped.omitted
    kept = {capped.center.id, *(n.id for n in capped.nodes)}
    assert all(e.source in kept and e.target in kept for e in capped.edges)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param({"types": ["tools"]}, {"Python", "SQL"}, id="by-class"),
        pytest.param(
            {"predicates": ["requires skill"]}, {"Linear algebra", "Programming"}, id="by-relation"
        ),
        pytest.param(
            {"sources": ["b.txt"]}, {"Programming", "Computer science degree"}, id="by-source"
        ),
    ],
)
def test_neighbourhood_filters(mini_kg, options, expected) -> None:
    nb = neighbors(mini_kg, "ML engineer", **options)
    assert {n.label for n in nb.nodes} == expected


def test_compare_roles(mini_kg) -> None:
    c = compare(mini_kg, "data scientist", "ML engineer")
    assert [n.label for n in c.shared["Tool"]] == ["Python", "SQL"]
    assert [n.label for n in c.only_a["Skill"]] == ["Statistics"]
    assert "Qualification" in c.to_dict()["only_b"]
