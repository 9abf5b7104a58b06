"""Parameters are bound as VALUES, with the same meaning on both engines, and cannot change the query."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from legalgraph.store.binding import BindingError, bind, where_brace


def test_values_block_goes_into_the_top_level_where_group():
    q = 'PREFIX x: <http://x/{}> SELECT ?s WHERE { ?s ?p "{" } # {comment'
    out = bind(q, {"p": URIRef("http://x/p")})
    assert out == ('PREFIX x: <http://x/{}> SELECT ?s WHERE { VALUES (?p) { (<http://x/p>) }  ?s ?p "{" }'
                   " # {comment")


def test_construct_binds_in_where_not_in_template():
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert where_brace(q) == q.index("WHERE") + 6


def test_literal_with_quotes_cannot_escape_its_value():
    out = bind("SELECT * WHERE { ?s ?p ?x }", {"x": Literal('a" } ; DROP ALL ; #')})
    assert 'VALUES (?x) { ("a\\" } ; DROP ALL ; #") }' in out


@pytest.mark.parametrize(
    ("name", "term", "message"),
    [
        ("x y", Literal("a"), "not a SPARQL variable name"),
        ("x", URIRef("http://x/> } ; DROP ALL"), "not a valid IRI"),
    ],
)
def test_bad_bindings_are_refused(name, term, message):
    with pytest.raises(BindingError, match=message):
        bind("SELECT * WHERE { ?s ?p ?o }", {name: term})

