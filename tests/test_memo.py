"""Answers kept per store version (services/memo.py, BoundedStore's AnswerMemo): never stale, never shared
between stores, computed once under concurrency, and a caller's change never reaches another caller."""

from __future__ import annotations

import threading
import time

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from legalgraph.services import compare, network
from legalgraph.services.memo import per_version
from legalgraph.settings import Settings
from legalgraph.store import BoundedStore
from legalgraph.store.embedded import OxigraphStore

LABEL = "SELECT ?l WHERE { <https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


class Versioned:
    """The least a memoised service needs of a store: a version that changes with each write."""

    def __init__(self) -> None:
        self.writes = 0

    def version(self) -> int:
        return self.writes


def counting():
    calls = []

    @per_version(maxsize=4)
    def answer(store, x):
        calls.append(x)
        return [x, store.writes]

    return answer, calls


def test_the_same_question_on_the_same_version_is_answered_once():
    answer, calls = counting()
    s = Versioned()
    assert answer(s, 1) is answer(s, 1)
    assert calls == [1]


def test_a_write_makes_the_next_answer_fresh():
    answer, calls = counting()
    s = Versioned()
    assert answer(s, 1) == [1, 0]
    s.writes += 1
    assert answer(s, 1) == [1, 1]
    assert calls == [1, 1]


def test_two_stores_at_the_same_version_never_share_an_answer():
    answer, calls = counting()
    a, b = Versioned(), Versioned()
    b.writes = 0
    first = answer(a, 1)
    assert answer(b, 1) is not first
    assert calls == [1, 1]


def test_a_store_that_is_gone_takes_its_answers_with_it():
    answer, calls = counting()
    for _ in range(3):  # each new store may reuse the last one's address: it must not see its answer
        s = Versioned()
        answer(s, 7)
        del s
    assert calls == [7, 7, 7]


def test_concurrent_callers_wait_for_one_computation():
    calls = []
    gate = threading.Event()

    @per_version()
    def slow(store):
        calls.append(1)
        gate.wait(5)
        return object()

    s = Versioned()
    results = []
    threads = [threading.Thread(target=lambda: results.append(slow(s))) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert len(calls) == 1
    assert len(results) == 8 and len({id(r) for r in results}) == 1


def test_an_error_is_not_kept():
    attempts = []

    @per_version()
    def flaky(store):
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("first time")
        return "second time"

    s = Versioned()
    with pytest.raises(ValueError, match="first time"):
        flaky(s)
    assert flaky(s) == "second time"


def test_unhashable_arguments_are_computed_afresh():
    calls = []

    @per_version()
    def f(store, items):
        calls.append(list(items))
        return len(items)

    s = Versioned()
    assert f(s, [1, 2]) == 2 and f(s, [1, 2]) == 2
    assert calls == [[1, 2], [1, 2]]


def test_only_the_latest_entries_are_kept():
    answer, calls = counting()
    s = Versioned()
    for x in range(6):
        answer(s, x)
    answer(s, 5)  # kept
    answer(s, 0)  # evicted (maxsize 4): computed again
    assert calls == [0, 1, 2, 3, 4, 5, 0]


# ------------------------------------------------------------------ the bounded store's answers

@pytest.fixture
def bounded():
    store = BoundedStore(OxigraphStore(None), Settings.load())
    yield store
    store.close()


def labelled(text: str) -> Graph:
    g = Graph()
    g.add((URIRef("https://example.org/x"), RDFS.label, Literal(text)))
    return g


def test_an_added_graph_shows_in_the_next_answer(bounded):
    assert bounded.query(LABEL).rows == []
    bounded.add(labelled("first"), URIRef("https://example.org/g1"))
    assert [str(r[0]) for r in bounded.query(LABEL).rows] == ["first"]
    bounded.remove_graph(URIRef("https://example.org/g1"))
    assert bounded.query(LABEL).rows == []


def test_a_caller_changing_its_answer_does_not_change_the_next_callers(bounded):
    bounded.add(labelled("kept"), URIRef("https://example.org/g1"))
    first = bounded.query(LABEL)
    first.rows.clear()
    first.variables.append("mine")
    again = bounded.query(LABEL)
    assert [str(r[0]) for r in again.rows] == ["kept"] and again.variables == ["l"]


def test_parameters_are_part_of_the_question(bounded):
    bounded.add(labelled("a"), URIRef("https://example.org/g1"))
    q = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    assert [str(r[0]) for r in bounded.query(q, {"s": URIRef("https://example.org/x")}).rows] == ["a"]
    assert bounded.query(q, {"s": URIRef("https://example.org/y")}).rows == []
    assert [str(r[0]) for r in bounded.query(q, {"s": [URIRef("https://example.org/x")]}).rows] == ["a"]


# ------------------------------------------------------------------ services that keep their answers

def test_a_network_view_is_shared_and_frozen(shipped_store):
    g = network.select(shipped_store, "legal")
    assert network.select(shipped_store, "legal") is g
    with pytest.raises(Exception, match="Frozen graph"):
        g.add_node("x")


def test_the_comparison_is_the_same_object_until_a_write(shipped_store):
    assert compare.build(shipped_store, 2023) is compare.build(shipped_store, 2023)
    assert compare.build(shipped_store, 2016) is not compare.build(shipped_store, 2023)


def test_serve_warms_the_comparison_before_the_first_visitor_and_after_a_write(monkeypatch):
    from fastapi.testclient import TestClient

    from legalgraph.api import create_app
    from legalgraph.services import brief, search

    built = []
    real = compare._build
    monkeypatch.setattr(compare, "_build", lambda *a: built.append(a[1:]) or real(*a))
    # the other answers warm-up computes are not what this test is about (briefs draw pictures: seconds)
    for module, name in ((brief, "brief"), (search, "search")):
        monkeypatch.setattr(module, name, lambda *a, **k: None)
    store = BoundedStore(OxigraphStore(None), Settings.load())
    store.load()

    def warmed() -> None:
        for t in threading.enumerate():
            if t.name == "legalgraph-warm":
                t.join(60)

    with TestClient(create_app(Settings.load(), store, warm_up=True)) as client:
        warmed()
        assert built == [(2023, False)]
        assert client.get("/compare", headers={"accept": "application/json"}).status_code == 200
        assert built == [(2023, False)]  # the visitor got the warmed answer
        store.add(labelled("new"), URIRef("https://example.org/g1"))
        warmed()
        assert built == [(2023, False), (2023, False)]


def test_the_same_question_asked_with_defaults_or_keywords_is_one_question():
    calls = []

    @per_version()
    def f(store, year, report_only=False):
        calls.append(year)
        return year

    s = Versioned()
    f(s, 2023)
    f(s, 2023, False)
    f(s, year=2023, report_only=False)
    assert calls == [2023]
