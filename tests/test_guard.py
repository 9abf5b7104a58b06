"""The query guard: the text that is checked is the text that runs, and SERVICE, LOAD and updates are refused
wherever they stand; size and nesting are bounded before any parser runs (property-based for the bounds)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legalgraph.errors import BadInput, LegalgraphError, Refused, TooLarge
from legalgraph.store.guard import check, depth, mask, normalise, precheck

URL = "<http://127.0.0.1:9/x>"
#: SERVICE in every position the grammar allows it, and the lexical tricks that hid it from the old guard.
SERVICE_POSITIONS = [
    f"SELECT * WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE SILENT {URL} {{ ?s ?p ?o }} }}",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/x> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    f"SELECT * WHERE {{ OPTIONAL {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE {URL} {{ ?a ?b ?c }} }} }}",
    f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ FILTER NOT EXISTS {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
    f"ASK {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
    f"DESCRIBE ?s WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
    f"select * where {{ sErViCe {URL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ #\r SERVICE {URL} {{ ?x ?y ?z }} \n }}",
    f"SELECT * WHERE {{ # a comment\r\n SERVICE {URL} {{ ?x ?y ?z }} }}",
    f"SELECT * WHERE {{ SERVICE {URL} {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
]


@pytest.mark.parametrize("query", SERVICE_POSITIONS)
def test_service_is_refused_in_every_position(query):
    with pytest.raises(Refused, match="SERVICE is not allowed"):
        precheck(query)


def test_the_comment_trick_reads_the_same_to_the_guard_and_the_engine():
    """rdflib ends a comment only at \\n, Oxigraph at \\r too: normalised, both see the SERVICE call."""
    text = normalise(f"SELECT * WHERE {{ #\r SERVICE {URL} {{ ?x ?y ?z }} \n }}")
    assert "\r" not in text and "SERVICE" in mask(text)


def test_service_inside_strings_iris_and_comments_is_data_not_a_call():
    ok = ['SELECT * WHERE { ?s ?p "community service" }', "SELECT * WHERE { ?s ?p <http://ex.org/service> }",
          "SELECT * WHERE { ?s ?p ?o } # SERVICE <x> {}\n", "SELECT ?service WHERE { ?service ?p ?o }",
          "PREFIX service: <http://ex.org/> SELECT * WHERE { ?s service:p ?o }"]
    for q in ok:
        assert precheck(q).form == "SELECT"
        assert check(precheck(q).text).form == "SELECT"


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/data.ttl>", "LOAD SILENT <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:g>",
    f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
    f"DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
])
def test_admin_updates_never_fetch(update):
    with pytest.raises(Refused, match=r"(LOAD|SERVICE) is not allowed"):
        precheck(update, allow_update=True)


def test_updates_are_refused_unless_allowed():
    with pytest.raises(Refused, match="read-only"):
        precheck("DROP ALL")
    with pytest.raises(Refused, match="read-only"):
        check("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert precheck("DROP ALL", allow_update=True).form == "UPDATE"


def test_size_is_bounded_before_parsing():
    with pytest.raises(TooLarge, match="60028 characters long, over the bound of 20000"):
        precheck("SELECT * WHERE { FILTER(" + "1+" * 30_000 + "1) }")


@pytest.mark.parametrize("n", [41, 5_000, 10_000])
def test_nesting_is_bounded_before_parsing(n):
    with pytest.raises(TooLarge, match=f"nested {n} deep, over the bound of 40"):
        precheck("SELECT * WHERE " + "{ " * n + "?s ?p ?o" + " }" * n, max_chars=10**6)


def test_malformed_queries_say_where():
    with pytest.raises(BadInput, match=r"malformed SPARQL at line 2, column \d+"):
        check(precheck("SELECT ?s WHERE {\n ?s ?p }").text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_either_checked_or_refused_with_our_error(text):
    try:
        checked = precheck(text)
        check(checked.text)
    except LegalgraphError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}()[]?s p.\"'<>#\n\r", max_size=300))
def test_depth_never_exceeds_the_brackets_it_counts(text):
    assert depth(mask(text)) <= sum(text.count(c) for c in "{([")
