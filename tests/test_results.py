"""Comparing answers across engines: what SPARQL leaves to the engine is taken out, nothing else."""

from __future__ import annotations

from rdflib import Literal, URIRef

from legalgraph.formats import comparable, digest
from legalgraph.store.base import Answer as QueryResult

KG, TJ = URIRef("urn:kg"), URIRef("urn:tj")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def answer(*rows) -> QueryResult:
    return QueryResult("select", variables=["country", "numbers", "days"], rows=list(rows))


def test_row_order_group_concat_order_and_float_digits_do_not_count():
    a = answer((KG, Literal("1, 4, 5"), Literal("182.625", datatype=DECIMAL)), (TJ, Literal("2"), None))
    b = answer((TJ, Literal("2"), None), (KG, Literal("5, 4, 1"), Literal("182.6250000001", datatype=DECIMAL)))
    assert comparable(a) == comparable(b)
    assert digest(a) == digest(b)


def test_a_different_value_or_a_missing_row_counts():
    a = answer((KG, Literal("1, 4, 5"), None), (TJ, Literal("2"), None))
    assert comparable(a) != comparable(answer((KG, Literal("1, 4, 6"), None), (TJ, Literal("2"), None)))
    assert digest(a) != digest(answer((KG, Literal("1, 4, 5"), None)))
    assert digest(a) != digest(answer((KG, Literal("1, 4, 5"), None), (TJ, Literal("2"), None), (TJ, Literal("2"), None)))
