"""Full-text search (legalgraph.services.search) on the shipped graph: what it finds, how it ranks, counts
and suggests, and that no input makes it raise."""

from __future__ import annotations

import html
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from legalgraph.namespaces import ID, VOCAB
from legalgraph.services import search as S
from legalgraph.services.search import Document, SearchIndex, load_documents, query_words, stems

# How the rest of the project places an entity in a country (stats.py, /browse): the test's caller
# derives it; the search module only receives the mapping.
COUNTRIES = """SELECT DISTINCT ?s ?country WHERE { ?country a lg:Country .
  { ?s lg:country|lg:jurisdiction|lg:addressee ?country } UNION { ?s eli:is_part_of+ ?act . ?act lg:jurisdiction ?country } }"""
REGIMES = "SELECT ?r WHERE { ?r a lg:ProtectionOrderRegime }"

KG = URIRef(f"{ID}country/kyrgyzstan")
TJ = URIRef(f"{ID}country/tajikistan")
KG_POLICE = URIRef(f"{ID}org/kg-police")
PO_CONCEPT = URIRef(f"{VOCAB}referral-path/protection-order")  # «охранный ордер», the one Russian label with both words


@pytest.fixture(scope="module")
def documents(shipped_store) -> list[Document]:
    return load_documents(shipped_store)


@pytest.fixture(scope="module")
def countries(shipped_store) -> dict[URIRef, URIRef]:
    return {s: c for s, c in shipped_store.query(COUNTRIES).rows}


@pytest.fixture(scope="module")
def index(documents, countries) -> SearchIndex:
    return SearchIndex.build(documents, countries, version="test")


@pytest.fixture(scope="module")
def regimes(shipped_store) -> set[URIRef]:
    return {r for (r,) in shipped_store.query(REGIMES).rows}


def entities(results) -> set[URIRef]:
    return {h.entity for h in results.hits}


# ------------------------------------------------------------------ the documents query

def test_documents_query_gives_the_same_rows_on_rdflib_and_oxigraph(shipped_store):
    from legalgraph.store.memory import MemoryStore

    text = S.DOCUMENTS_QUERY.read_text(encoding="utf-8")
    assert text.startswith("# title: Search documents\n# description:")

    def key(row):
        return tuple((str(t), getattr(t, "language", None), str(getattr(t, "datatype", None))) for t in row)

    ox = shipped_store.query(text)
    mem = MemoryStore().query(text)
    assert ox.variables == mem.variables == ["entity", "type", "field", "text"]
    assert len(ox.rows) > 3000
    assert sorted(map(key, ox.rows)) == sorted(map(key, mem.rows))


def test_documents_query_has_a_canned_query_header_but_is_not_in_the_library():
    from legalgraph.services import catalogue as queries

    q = queries.parse(S.DOCUMENTS_QUERY)
    assert q.title == "Search documents" and q.params == [] and "internal" in q.tags
    assert "search-documents" not in queries.library()


def test_documents_cover_the_fields_and_both_languages(documents):
    fields = Counter(d.field for d in documents)
    for f in ("label", "prefLabel", "altLabel", "title", "alternativeTitle", "description", "evidence",
              "text", "provides", "duty", "type"):
        assert fields[f] > 0, f
    langs = Counter(d.lang for d in documents)
    assert langs["en"] > 1000 and langs["ru"] > 300 and langs[""] > 400  # evidence quotations are untagged
    regime = URIRef(f"{ID}protection-order/tj-law-954")
    assert Document(regime, "ProtectionOrderRegime", "type", "Режим охранного ордера", "ru") in documents
    assert Document(regime, "ProtectionOrderRegime", "evidence",
                    "which are issued for an initial 15 days with the possibility of an extension to 30 days",
                    "") in documents
    # every entity has exactly one type
    types: dict[URIRef, set[str]] = {}
    for d in documents:
        types.setdefault(d.entity, set()).add(d.type)
    assert all(len(t) == 1 for t in types.values())
    assert types[KG_POLICE] == {"Organisation"}
    assert types[PO_CONCEPT] == {"Concept"}


# ------------------------------------------------------------------ stems

@pytest.mark.parametrize(("a", "b"), [
    ("order", "orders"), ("policy", "policies"), ("programme", "programmes"), ("box", "boxes"),
    ("woman", "women"), ("order", "ordered"), ("refer", "referred"), ("train", "training"),
    ("охранный", "охранного"), ("охранный", "охранные"), ("ордер", "ордера"), ("ордер", "ордеров"),
    ("режим", "режима"), ("полиция", "полицией"), ("программа", "программами"), ("насилие", "насилия"),
    ("ёлка", "елки"),
])
def test_inflected_forms_share_a_stem(a, b):
    assert stems(a) & stems(b)


@pytest.mark.parametrize(("a", "b"), [("act", "action"), ("police", "policy"), ("protection", "protect"),
                                      ("law", "lawyer"), ("status", "statu")])
def test_different_words_do_not(a, b):
    assert not stems(a) & stems(b)


def test_query_words_are_bounded_folded_and_without_stop_words():
    assert query_words("The Protection of ORDERS") == ["protection", "orders"]
    assert query_words("of the") == ["of", "the"]  # only stop words: kept
    assert query_words("Naïve CAFÉ") == ["naive", "cafe"]
    assert len(query_words(" ".join(f"w{i}" for i in range(50)))) == 10
    assert query_words("x" * 10_000) == ["x" * 200]
    assert query_words('"a" OR b* NEAR(c d) label:e ^f') == ["b", "near", "c", "d", "label", "e", "f"]
    assert query_words(None) == [] and query_words(42) == []


# ------------------------------------------------------------------ what it finds

def test_kyrgyzstan_police_finds_the_kyrgyz_police_first(index):
    r = index.search("Kyrgyzstan police")
    assert r.hits[0].entity == KG_POLICE
    assert r.hits[0].label == "Police of Kyrgyzstan"
    assert r.hits[0].type == "Organisation" and r.hits[0].country == KG
    assert r.hits[0].field == "label"
    assert r.hits[0].snippet == (S.Segment("Police", True), S.Segment(" of ", False), S.Segment("Kyrgyzstan", True))
    assert {h.country for h in r.hits} == {KG}
    # the same words in another order, case and with a stop word
    assert index.search("police of KYRGYZSTAN").hits[0].entity == KG_POLICE


def test_plural_and_singular_find_the_same_entities(index, regimes):
    one = index.search("protection order", limit=1000)
    many = index.search("protection orders", limit=1000)
    assert len(regimes) == 3
    assert entities(one) == entities(many)
    assert regimes <= entities(one)
    assert one.total == many.total == len(one.hits) == 37
    assert [h.entity for h in one.hits] == [h.entity for h in many.hits]
    # the regimes' own labels rank them in the top five
    assert regimes <= {h.entity for h in one.hits[:5]}
    assert index.search("Protection Orders").total == 37


@pytest.mark.parametrize("query", ["охранный ордер", "охранного ордера", "охранные ордера", "ОХРАННЫЙ ОРДЕР"])
def test_russian_finds_the_protection_order_regimes(index, regimes, query):
    """The regimes have no Russian label of their own (data/ gives English only); they are found through
    their class's Russian label «Режим охранного ордера» (ontology/legalgraph.ttl)."""
    r = index.search(query)
    assert entities(r) == regimes | {PO_CONCEPT}
    for h in r.hits:
        if h.entity in regimes:
            assert h.field == "type" and h.lang == "ru"
            assert h.marked(open="[", close="]") == "Режим [охранного] [ордера]"
    # with the Russian interface language the concept is labelled in Russian
    ru = index.search(query, lang="ru")
    assert entities(ru) == entities(r)
    assert {h.label for h in ru.hits if h.type == "Concept"} == {"охранный ордер"}


def test_facets_count_exactly(index, documents):
    """For "aksakal", an independent count over the documents (any text of the entity mentions it)."""
    r = index.search("aksakal", limit=1000)
    expected = {d.entity for d in documents if "aksakal" in d.text.lower()}
    assert entities(r) == expected and r.total == len(expected) == 10
    assert r.type_facets == {"Organisation": 4, "LegalAct": 2, "Activity": 1, "Concept": 1, "Obligation": 1,
                             "Statement": 1}
    assert r.country_facets == {KG: 7, None: 3}
    assert sum(r.type_facets.values()) == sum(r.country_facets.values()) == r.total
    assert Counter(h.type for h in r.hits) == Counter(r.type_facets)
    assert Counter(h.country for h in r.hits) == Counter(r.country_facets)


def test_filters_and_disjunctive_facets(index, regimes):
    r = index.search("protection order", types=["ProtectionOrderRegime"], limit=1000)
    assert entities(r) == regimes and r.total == 3
    assert r.type_facets["ProtectionOrderRegime"] == 3 and r.type_facets["LegalAct"] == 6  # other types stay
    assert r.country_facets == {URIRef(f"{ID}country/{c}"): 1 for c in ("kyrgyzstan", "tajikistan", "uzbekistan")}
    tj = index.search("protection order", country=TJ, limit=1000)
    assert {h.country for h in tj.hits} == {TJ} and tj.total == 9
    assert tj.country_facets[TJ] == 9 and tj.country_facets[KG] == 9  # other countries stay
    both = index.search("protection order", types=["ProtectionOrderRegime"], country=str(TJ))
    assert [h.entity for h in both.hits] == [URIRef(f"{ID}protection-order/tj-law-954")]
    # the type filter accepts full class IRIs too
    assert index.search("protection order", types=["https://w3id.org/legalgraph/ontology#ProtectionOrderRegime"]
                        ).total == 3


def test_limit_grouping_and_ranking(index):
    r = index.search("programmes", limit=7)
    assert len(r.hits) == 7 and r.total > 200
    assert [h.score for h in r.hits] == sorted((h.score for h in r.hits), reverse=True)
    groups = r.by_type()
    assert sum(len(g) for g in groups.values()) == 7
    assert next(iter(groups)) == r.hits[0].type
    by_country = r.by_country()
    assert sum(len(g) for g in by_country.values()) == 7
    assert index.search("programmes", limit=0).hits == []
    assert len(index.search("programmes", limit=10**9).hits) == r.total


def test_language_filter_keeps_untagged_quotations(index):
    en = index.search("inform the perpetrator", lang="en")
    ru = index.search("inform the perpetrator", lang="ru")
    assert KG_POLICE in entities(en)
    assert {h.field for h in ru.hits} <= {"evidence"}  # English text reached only through untagged quotations
    assert KG_POLICE in entities(ru)


def test_unfinished_word_is_a_prefix(index):
    assert KG_POLICE in entities(index.search("Kyrgyzstan polic"))


def test_snippets_are_plain_text_with_marks(index):
    r = index.search("aksakal")
    for h in r.hits:
        assert any(s.match for s in h.snippet)
        assert all("\ue000" not in s.text and "\ue001" not in s.text for s in h.snippet)
        assert h.excerpt == "".join(s.text for s in h.snippet)
    marked = r.hits[0].marked(html.escape, "<mark>", "</mark>")
    assert marked == "<mark>aksakal</mark> court (court of elders)"


def test_text_is_escaped_by_the_caller():
    idx = SearchIndex.build([(URIRef(f"{ID}org/x"), Literal("Organisation"), Literal("label"),
                              Literal("<b>police</b> & \ue000courts\ue001", lang="en"))], {})
    hit = idx.search("police").hits[0]
    assert hit.marked(html.escape, "<mark>", "</mark>") == "&lt;b&gt;<mark>police</mark>&lt;/b&gt; &amp; courts"


# ------------------------------------------------------------------ suggestions

def test_empty_result_suggests_near_matches(index):
    r = index.search("protectoin")
    assert r.hits == [] and r.total == 0
    assert r.suggestions[0] == "protection"
    assert index.search("protectoin order").suggestions == ["protection order"]
    assert index.search("kyrgystan polise").suggestions[0] == "kyrgyzstan police"
    assert index.search("охраный ордер").suggestions[0] == "охранный ордер"
    for s in index.search("protectoin").suggestions:
        assert index.search(s).total > 0
    assert index.search("protection").suggestions == []  # found something: no suggestions
    assert index.search("zzzzqqqq").suggestions == []


# ------------------------------------------------------------------ hostile input

HOSTILE = ['"', "'", "*", "^", "-", "+", ":", "(", ")", "NEAR(", "NEAR(a b, 3)", "a OR", "OR", "AND NOT",
           "col:x", "label:police", "{label context}:police", '"police"*', "^police", "police*", "a*b", "",
           " ", "\x00", "pol\x00ice", "\ud800", "police \udfff order", "x" * 10_000, "police " * 2_000,
           "\ue000police\ue001", "🙂", "\u0301", "İ", "ß", "ﬁ", "²", "%", "_", "\\", "\t\n", "<script>"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_never_raise(index, text):
    r = index.search(text)
    assert isinstance(r.hits, list) and r.total >= 0
    index.search(text, lang="ru", types=[text], country=text, limit=text)  # type: ignore[arg-type]


def test_hostile_strings_that_contain_words_still_find_them(index):
    for text in ('"police"*', "^police", "-police", "police:", "\x00police", "\ue000police\ue001", "(police)"):
        assert KG_POLICE in entities(index.search(text, limit=1000)), text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_text_gives_results_or_nothing(index, text):
    r = index.search(text, limit=5)
    assert r.total >= len(r.hits)
    assert all(isinstance(s, str) for s in r.suggestions)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["police", "order", '"', "*", "NEAR", "(", ")", ":", "^", "OR", "AND", "NOT",
                                 "охранный", "-", "+", "col", "\x00", "protectoin", "{", "}", " "]), max_size=12)
       .map("".join), st.sampled_from([None, "en", "ru", "xx", ""]))
def test_fts_syntax_pieces_never_raise(index, text, lang):
    index.search(text, lang=lang)


# ------------------------------------------------------------------ building and the cache

def test_searches_from_several_threads_agree(index):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["Kyrgyzstan police", "protection orders", "охранный ордер", "aksakal", "protectoin"] * 8
    alone = {q: index.search(q) for q in set(queries)}
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(index.search, queries))
    assert together == [alone[q] for q in queries]


def test_build_skips_unusable_rows_and_deduplicates():
    e = URIRef(f"{ID}org/x")
    rows = [(e, Literal("Organisation"), Literal("label"), Literal("Police", lang="en")),
            (e, Literal("Organisation"), Literal("prefLabel"), Literal("Police", lang="en")),  # same column
            (e, Literal("Organisation"), Literal("description"), Literal("   ")),
            (e, None, None, None), ("not an IRI", "x", "label", "y"), (e,), None,
            Document(e, "Organisation", "evidence", "the police \ud800 said", "")]
    idx = SearchIndex.build(rows, {e: TJ}, version=7)
    assert len(idx) == 1 and idx.version == 7
    r = idx.search("police")
    assert r.total == 1 and r.hits[0].country == TJ and r.hits[0].label == "Police"
    assert idx.vocabulary == {"police": 2, "the": 1, "said": 1, "tajikistan": 2}


def test_index_is_rebuilt_only_when_the_version_changes(documents, countries):
    S.clear_cache()
    calls = []

    def load():
        calls.append(1)
        return documents, countries

    a = S.get_index("v1", load)
    assert S.get_index("v1", load) is a and len(calls) == 1
    b = S.get_index("v2", load)
    assert b is not a and b.version == "v2" and len(calls) == 2
    assert S.get_index("v2", load) is b and len(calls) == 2
    S.clear_cache()


def test_index_for_a_store(shipped_store, countries):
    S.clear_cache()
    calls = []

    def countries_fn():
        calls.append(1)
        return countries

    idx = S.index_for(shipped_store, countries_fn)
    assert S.index_for(shipped_store, countries_fn) is idx and len(calls) == 1
    assert idx.search("Kyrgyzstan police").hits[0].entity == KG_POLICE
    S.clear_cache()


# ------------------------------------------------------------------ the service entry point

def test_search_entry_point_uses_the_entities_country_rule(shipped_store, regimes):
    S.clear_cache()
    r = S.search(shipped_store, "Kyrgyzstan police")
    assert r.hits[0].entity == KG_POLICE and r.hits[0].country == KG
    assert entities(S.search(shipped_store, "охранный ордер")) == regimes | {PO_CONCEPT}
    tj = S.search(shipped_store, "protection order", country="Tajikistan", types=["lg:ProtectionOrderRegime"])
    assert [h.entity for h in tj.hits] == [URIRef(f"{ID}protection-order/tj-law-954")]
    aksakal = S.search(shipped_store, "aksakal", limit=1000)
    assert aksakal.type_facets == {"Organisation": 4, "LegalAct": 2, "Activity": 1, "Concept": 1, "Obligation": 1,
                                   "Statement": 1}
    assert aksakal.country_facets == {KG: 7, None: 3}
    S.clear_cache()


@pytest.mark.parametrize(("kwargs", "valid"), [({"country": "mars"}, "kyrgyzstan"), ({"types": ["Nope"]}, "Organisation"),
                                               ({"lang": "de"}, "ru")])
def test_search_entry_point_rejects_unknown_filters_with_the_valid_ones(shipped_store, kwargs, valid):
    from legalgraph.errors import BadInput

    with pytest.raises(BadInput) as exc:
        S.search(shipped_store, "police", **kwargs)
    assert valid in exc.value.valid


def test_twin_keeps_snippet_runs_and_facets(shipped_store):
    data = S.search(shipped_store, "Kyrgyzstan police").as_dict()
    assert data["hits"][0]["iri"] == str(KG_POLICE)
    assert data["hits"][0]["snippet"] == [{"text": "Police", "match": True}, {"text": " of ", "match": False},
                                          {"text": "Kyrgyzstan", "match": True}]
    assert data["facets"]["country"] == [{"value": "kyrgyzstan", "iri": str(KG), "count": 6}]
