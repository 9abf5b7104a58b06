"""Full-text search over the graph's texts, in English and Russian (issue 16).

The engine is SQLite's FTS5 from the standard library (``sqlite3``), in memory, with the tokenizer
``unicode61 remove_diacritics 2``: words are split on Unicode letters and digits, so Cyrillic works, and
case and Latin diacritics are folded. Nothing here is substring matching in Python.

**Documents.** One row per entity, field and literal, from one SPARQL query,
``queries/internal/search-documents.rq`` (:func:`load_documents`): labels, SKOS pref/alt labels, titles,
alternative titles, descriptions, evidence quotations, recommendation and provision texts, duties, ...
Each row also carries, in a low-weight ``context`` column, the labels of the entity's class (English and
Russian) and of its country, so that "Kyrgyzstan police" finds "Police of Kyrgyzstan" and the police
descriptions of Kyrgyz entities, and «охранный ордер» finds the protection-order regimes through their
class's Russian label «Режим охранного ордера». The class labels are also rows of their own (field
``type``, in the ``kind`` column) so that a language filter still reaches them. The module does not know
how a country is derived: the caller passes ``countries`` (entity -> country IRI).

**Ranking.** ``bm25()`` with column weights: label 10, alternative labels 6, body texts 2, evidence 1.5,
class label 1, context 0.5. An entity's score is the best score of its rows (reported as ``-bm25``, so
higher is better); its hit shows that row's field and ``snippet()``.

**Plural and case variants (the stemming choice).** The query is never handed to FTS5 as typed. Each query
word is lower-cased and folded like the tokenizer does, then *expanded at query time* into the words of the
index's own vocabulary (FTS5's ``fts5vocab`` table) that share a light stem with it, and the expansions are
OR-ed as quoted tokens: "orders" -> ``("order" OR "orders" OR "ordered")``. Stems:

* English (Latin script): one deterministic light stem: plural ``-s``/``-es``/``-ies`` (-> ``y``), then
  ``-ing``/``-ed`` when at least four letters remain (with a doubled final consonant undone), and a few
  irregular plurals (women, men, children).
* Russian (Cyrillic): the set of all splits of the word into a stem of at least three letters and a noun or
  adjective ending (``а``, ``ы``, ``ов``, ``ого``, ``ами``, ``ией``, ... ; ``ё`` read as ``е``); two words are
  variants when their sets meet. «охранный», «охранного», «охранные» meet in «охранн»; «ордер», «ордера»,
  «ордеров» in «ордер»; «режим» and «режима» in «режим» (a longest-ending stemmer would cut «режим» to «реж»).

Expanding against the vocabulary keeps snippets exact (FTS5 highlights the very tokens that matched) and
needs no second stemmed column. A word with no variant in the vocabulary becomes a prefix query
(``"protec"*``) so that an unfinished word still finds something; if that finds nothing either, the result
is empty and carries :attr:`SearchResults.suggestions`: close vocabulary words (``difflib`` over the
``fts5vocab`` terms of similar length), kept only when the suggested query has hits.

**Hostile input.** The query text is cut to 200 characters and 10 words; only letters and digits survive
(quotes, ``*``, ``^``, ``:``, parentheses, ``NEAR``/``AND``/``OR``/``NOT`` become plain quoted words or vanish);
lone surrogates and NUL are dropped. Any string gives results or an empty list; an unexpected SQLite error
is caught and answers with no hits rather than an exception.

**Snippets** are plain text: :class:`Segment` runs with a ``match`` flag; the caller escapes each run for its
output (``Hit.marked(escape, open, close)``). Never HTML.

**Entry point.** :func:`search` is what the front-ends call: it validates the user's country, types and
language and takes the countries from :func:`legalgraph.services.entities.index`.

**Cache.** :func:`get_index` keeps one index per module and rebuilds it only when the caller's opaque,
hashable data-version token changes; :func:`index_for` does this for a store.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rdflib import Literal, URIRef

from ..errors import BadInput
from ..namespaces import ID
from ..settings import PROJECT_ROOT
from ..store.base import Store
from . import entities
from .catalogue import internal

#: The one query that yields the documents (entity, type, field, text).
DOCUMENTS_QUERY = PROJECT_ROOT / "queries" / "internal" / "search-documents.rq"

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
MAX_EXPANSIONS = 24
MAX_LIMIT = 1000
#: the fewest hits a user may ask for: a limit of 0 or less shows nothing and says "the best 0 shown"
MIN_LIMIT = 1
SNIPPET_TOKENS = 16

#: Marks around a match inside snippet() output; removed from indexed text so they cannot be forged.
_OPEN, _CLOSE, _ELLIPSIS = "\ue000", "\ue001", "…"

#: FTS5 columns, their bm25 weights, and which fields go to which column.
COLUMNS = ("label", "alt", "body", "evidence", "kind", "context")
WEIGHTS = (10.0, 6.0, 2.0, 1.5, 1.0, 0.5)
#: the ranking function over the six columns, with their weights (constants, never user input)
_BM25 = "bm25(docs, " + ", ".join(map(str, WEIGHTS)) + ")"
LABEL_FIELDS = ("label", "prefLabel", "title")
ALT_FIELDS = frozenset({"altLabel", "alternativeTitle", "acronym", "actNumber", "number"})
EVIDENCE_FIELDS = frozenset({"evidence"})
TYPE_FIELD = "type"


def column_of(field_name: str) -> int:
    """The FTS5 column index a field's text is indexed in (body texts for any unknown field)."""
    if field_name in LABEL_FIELDS:
        return 0
    if field_name in ALT_FIELDS:
        return 1
    if field_name in EVIDENCE_FIELDS:
        return 3
    if field_name == TYPE_FIELD:
        return 4
    return 2


# ------------------------------------------------------------------ documents

class Document(NamedTuple):
    """One indexed text: an entity's literal in one field. ``lang`` is "" for untagged strings."""

    entity: URIRef
    type: str
    field: str
    text: str
    lang: str = ""

    @classmethod
    def from_row(cls, row: Any) -> Document | None:
        """A row of ``search-documents.rq`` (entity, type, field, text as rdflib terms), or None if unusable."""
        if isinstance(row, Document):
            return row
        try:
            entity, type_, field_, text = row
        except (TypeError, ValueError):
            return None
        if not isinstance(entity, URIRef) or text is None or field_ is None:
            return None
        lang = (text.language or "") if isinstance(text, Literal) else ""
        return cls(entity, str(type_ or ""), str(field_), str(text), lang.lower())


def load_documents(store: Store) -> list[Document]:
    """Run ``search-documents.rq`` on a store and return its rows as documents (every row: no row bound)."""
    result = store.query(internal(DOCUMENTS_QUERY.stem).text, max_rows=None)
    return [d for d in map(Document.from_row, result.rows) if d is not None]


# ------------------------------------------------------------------ words and stems

_WORD = re.compile(r"[^\W_]+")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")

STOPWORDS = frozenset(re.findall(r"\S+", (
    "a an the of in on at for to and or by with from as is are be do does did how what which who whom "
    "и в во на по с со к ко о об от для из у не ни что как кто а но же ли")))

_EN_IRREGULAR = {"women": "woman", "men": "man", "children": "child", "people": "person"}
_RU_ENDINGS = tuple(sorted({
    # adjectives and participles
    "ыми", "ими", "ого", "его", "ому", "ему", "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой", "ей",
    "ым", "им", "ом", "ем", "ых", "их", "ую", "юю", "ою", "ею",
    # nouns
    "иями", "ями", "ами", "ией", "ием", "иям", "иях", "ах", "ях", "ам", "ям", "ов", "ев", "ию", "ью", "ия",
    "ья", "ье", "ии", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
}, key=len, reverse=True))


def fold(word: str) -> str:
    """Lower-case and strip Latin diacritics, as ``unicode61 remove_diacritics 2`` does (Cyrillic kept)."""
    out = []
    for ch in word.lower():
        if ch < "\u0250" and not ch.isascii():
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            out.append(base or ch)
        else:
            out.append(ch)
    return "".join(out)


def words(text: str) -> list[str]:
    """The words (runs of Unicode letters and digits) of a text, in order, folded."""
    return [fold(w) for w in _WORD.findall(text)]


def _stem_en(w: str) -> str:
    if w in _EN_IRREGULAR:
        return _EN_IRREGULAR[w]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "ches", "shes", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and len(stem) >= 4 and re.search(r"[aeiouy]", stem):
            if stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]
            return stem
    return w


def stems(word: str) -> frozenset[str]:
    """The light stems of a folded word; two words are variants of each other when their stems meet.

    English: one stem (``orders`` -> ``order``, ``policies`` -> ``policy``). Russian: every split into a stem
    of three or more letters and a known ending, plus the word itself (``ордера`` -> {ордера, ордер}).
    Other scripts and digits: the word itself.
    """
    if _CYRILLIC.search(word):
        w = word.replace("ё", "е")
        keys = {w}
        for ending in _RU_ENDINGS:
            if w.endswith(ending) and len(w) - len(ending) >= 3:
                keys.add(w[: -len(ending)])
        return frozenset(keys)
    if _LATIN.search(word) and word.isascii():
        return frozenset({_stem_en(word)})
    return frozenset({word})


def query_words(text: object) -> list[str]:
    """The words a query searches for: bounded (200 characters, 10 words), folded, de-duplicated, without
    stop words (unless the query has nothing else). Never raises."""
    if not isinstance(text, str):
        return []
    text = _SURROGATES.sub("", text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
    found: list[str] = []
    for w in words(text):
        if w not in found:
            found.append(w)
    content = [w for w in found if w not in STOPWORDS]
    return (content or found)[:MAX_TERMS]


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


# ------------------------------------------------------------------ results

class Segment(NamedTuple):
    """A run of snippet text; ``match`` is True for the words that matched the query."""

    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    """One entity found: its best-matching field and the snippet of that field."""

    entity: URIRef
    label: str
    type: str
    country: URIRef | None
    field: str
    lang: str
    snippet: tuple[Segment, ...]
    score: float

    @property
    def excerpt(self) -> str:
        """The snippet as plain text, without match marks."""
        return "".join(s.text for s in self.snippet)

    def marked(self, escape: Callable[[str], str] = str, open: str = "", close: str = "") -> str:
        """The snippet with every run escaped by ``escape`` and matches wrapped in ``open``/``close``
        (e.g. ``hit.marked(html.escape, "<mark>", "</mark>")``)."""
        return "".join(f"{open}{escape(s.text)}{close}" if s.match else escape(s.text) for s in self.snippet)


@dataclass(frozen=True)
class SearchResults:
    """The answer to a search. ``hits`` are ranked (best first) and cut to the limit; ``total`` counts every
    entity that matched the text and both filters. Facets are disjunctive: ``type_facets`` counts the
    matches per type under the country filter only, ``country_facets`` per country (None: no country)
    under the type filter only, so each shows what choosing another value would give."""

    query: str
    words: tuple[str, ...]
    hits: list[Hit]
    total: int
    type_facets: dict[str, int] = field(default_factory=dict)
    country_facets: dict[URIRef | None, int] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The machine twin (web JSON and ``legalgraph search --format json``): hits with their snippet runs,
        facets as lists of ``{value, count}`` (a country by its slug and IRI; null: no country)."""
        def slug(c: URIRef | None) -> str | None:
            return str(c).rsplit("/", 1)[-1] if c is not None else None
        return {
            "q": self.query, "words": list(self.words), "total": self.total,
            "hits": [{"iri": str(h.entity), "label": h.label, "type": h.type,
                      "country": str(h.country) if h.country else None, "field": h.field, "lang": h.lang or None,
                      "excerpt": h.excerpt, "snippet": [{"text": s.text, "match": s.match} for s in h.snippet],
                      "score": h.score} for h in self.hits],
            "facets": {"type": [{"value": t, "count": n} for t, n in self.type_facets.items()],
                       "country": [{"value": slug(c), "iri": str(c) if c else None, "count": n}
                                   for c, n in self.country_facets.items()]},
            "suggestions": list(self.suggestions)}

    def by_type(self) -> dict[str, list[Hit]]:
        """The hits grouped by type, groups in the order of their best hit."""
        groups: dict[str, list[Hit]] = {}
        for h in self.hits:
            groups.setdefault(h.type, []).append(h)
        return groups

    def by_country(self) -> dict[URIRef | None, list[Hit]]:
        """The hits grouped by country (None: no country), groups in the order of their best hit."""
        groups: dict[URIRef | None, list[Hit]] = {}
        for h in self.hits:
            groups.setdefault(h.country, []).append(h)
        return groups


def _segments(marked: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part in re.split(f"({_OPEN}.*?{_CLOSE})", marked, flags=re.S):
        if not part:
            continue
        if part.startswith(_OPEN) and part.endswith(_CLOSE):
            out.append(Segment(part[1:-1], True))
        else:
            out.append(Segment(part.replace(_OPEN, "").replace(_CLOSE, ""), False))
    return tuple(out)


def _facet(counter: Counter) -> dict:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], "" if kv[0] is None else str(kv[0]))))


# ------------------------------------------------------------------ the index

@dataclass
class _Entity:
    type: str
    country: URIRef | None
    labels: dict[str, str]  # lang -> label (first label field wins)


class SearchIndex:
    """An in-memory FTS5 index of the documents. Build with :meth:`build`; query with :meth:`search`.
    Thread-safe (one connection behind a lock)."""

    def __init__(self, conn: sqlite3.Connection, entities: dict[URIRef, _Entity], version: Hashable) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self._entities = entities
        self.version = version
        #: results by request: an index belongs to one data version, so its answers never go stale
        self._results: OrderedDict[tuple, SearchResults] = OrderedDict()
        self._vocab: dict[str, int] = dict(conn.execute("SELECT term, doc FROM vocab"))
        self._by_stem: dict[str, list[str]] = {}
        self._by_length: dict[int, list[str]] = {}
        for term in sorted(self._vocab, key=lambda t: (-self._vocab[t], t)):
            for key in stems(term):
                self._by_stem.setdefault(key, []).append(term)
            self._by_length.setdefault(len(term), []).append(term)

    def __len__(self) -> int:
        """The number of entities indexed."""
        return len(self._entities)

    @property
    def types(self) -> list[str]:
        """The types of the indexed entities (class local names, e.g. ``Organisation``, ``Concept``), sorted."""
        return sorted({e.type for e in self._entities.values() if e.type})

    @property
    def vocabulary(self) -> dict[str, int]:
        """Every indexed word (as the tokenizer folded it) with the number of rows it occurs in."""
        return dict(self._vocab)

    # ---------------------------------------------------------------- building

    @classmethod
    def build(cls, rows: Iterable[Any], countries: Mapping[URIRef, URIRef],
              version: Hashable = None) -> SearchIndex:
        """Index the rows of ``search-documents.rq`` (tuples of rdflib terms, or :class:`Document`).
        ``countries`` maps an entity to its country IRI (entities not in it have no country); ``version``
        is the data version the rows come from (kept as :attr:`version`)."""
        docs: list[Document] = []
        seen: set[tuple[URIRef, int, str, str]] = set()
        for row in rows:
            d = Document.from_row(row)
            if d is None:
                continue
            text = _SURROGATES.sub("", d.text).replace(_OPEN, "").replace(_CLOSE, "").replace("\x00", " ")
            key = (d.entity, column_of(d.field), d.lang, text)
            if not text.strip() or key in seen:
                continue
            seen.add(key)
            docs.append(d._replace(text=text))

        entities: dict[URIRef, _Entity] = {}
        type_labels: dict[URIRef, list[str]] = {}
        for d in docs:
            e = entities.get(d.entity)
            if e is None:
                country = countries.get(d.entity)
                e = entities[d.entity] = _Entity(d.type, URIRef(country) if country else None, {})
            if d.field == TYPE_FIELD:
                type_labels.setdefault(d.entity, []).append(d.text)
        for field_name in LABEL_FIELDS:  # label before prefLabel before title
            for d in docs:
                if d.field == field_name:
                    entities[d.entity].labels.setdefault(d.lang, d.text)

        def country_names(c: URIRef | None) -> list[str]:
            if c is None:
                return []
            e = entities.get(c)
            return sorted(set(e.labels.values())) if e and e.labels else [str(c).rstrip("/").rsplit("/", 1)[-1]]

        context = {iri: " · ".join([*type_labels.get(iri, []), *country_names(e.country)])
                   for iri, e in entities.items()}

        conn = sqlite3.connect(":memory:", check_same_thread=False)
        cols = ", ".join(COLUMNS)
        conn.execute(f"CREATE VIRTUAL TABLE docs USING fts5({cols}, entity UNINDEXED, field UNINDEXED, "
                     "lang UNINDEXED, col UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row')")
        with conn:
            conn.executemany(
                f"INSERT INTO docs ({cols}, entity, field, lang, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_row(d, context[d.entity]) for d in docs))
            conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        return cls(conn, entities, version)

    # ---------------------------------------------------------------- querying

    def _expand(self, word: str) -> str:
        """The FTS5 expression for one query word: its vocabulary variants OR-ed, else a prefix query."""
        variants: list[str] = []
        keys = stems(word)
        if word in self._vocab:
            variants.append(word)
        for key in sorted(keys):
            for term in self._by_stem.get(key, ()):
                if term not in variants:
                    variants.append(term)
        if variants:
            return "(" + " OR ".join(_quote(t) for t in variants[:MAX_EXPANSIONS]) + ")"
        return _quote(word) + ("*" if len(word) >= 3 else "")

    def _match(self, expression: str, lang: str | None) -> list[tuple[int, URIRef, str, str, float, int]]:
        sql = "SELECT rowid, entity, field, lang, " + _BM25 + ", col FROM docs WHERE docs MATCH ?"
        params: list[Any] = [expression]
        if lang:
            sql += " AND (lang = ? OR lang = '')"
            params.append(lang.lower())
        try:
            with self._lock:
                rows = self._conn.execute(sql, params).fetchall()
        except sqlite3.Error:
            return []
        return [(rowid, URIRef(e), f, lg, -rank, col) for rowid, e, f, lg, rank, col in rows]

    def _snippet(self, expression: str, rowid: int, col: int) -> tuple[Segment, ...]:
        try:
            with self._lock:
                row = self._conn.execute(
                    "SELECT snippet(docs, ?, ?, ?, ?, ?) FROM docs WHERE docs MATCH ? AND rowid = ?",
                    (col, _OPEN, _CLOSE, _ELLIPSIS, SNIPPET_TOKENS, expression, rowid)).fetchone()
        except sqlite3.Error:
            return ()
        return _segments(row[0] or "") if row else ()

    def label(self, entity: URIRef, lang: str | None = None) -> str:
        """An entity's label in ``lang`` if it has one, else English, else any, else its IRI's last segment."""
        e = self._entities.get(entity)
        if e and e.labels:
            for candidate in (lang or "en", "en", ""):
                if candidate in e.labels:
                    return e.labels[candidate]
            return next(iter(e.labels.values()))
        return str(entity).rstrip("/").rsplit("/", 1)[-1]

    def search(self, text: object, *, types: Iterable[str] | None = None, country: object = None,
               lang: str | None = None, limit: int = 50, suggest: bool = True,
               label_lang: str | None = None) -> SearchResults:
        """:meth:`find`, remembering the latest 256 answers (people repeat searches and follow facets)."""
        try:
            key = (text, tuple(sorted(str(t) for t in types)) if types else None, country, lang, limit, suggest,
                   label_lang)
            hash(key)
        except TypeError:
            return self.find(text, types=types, country=country, lang=lang, limit=limit, suggest=suggest,
                             label_lang=label_lang)
        with self._lock:
            hit = self._results.get(key)
            if hit is not None:
                self._results.move_to_end(key)
                return hit
        found = self.find(text, types=types, country=country, lang=lang, limit=limit, suggest=suggest,
                          label_lang=label_lang)
        with self._lock:
            self._results[key] = found
            while len(self._results) > 256:
                self._results.popitem(last=False)
        return found

    def find(self, text: object, *, types: Iterable[str] | None = None, country: object = None,
             lang: str | None = None, limit: int = 50, suggest: bool = True,
             label_lang: str | None = None) -> SearchResults:
        """Find entities whose texts contain every word of ``text`` (each in any of its variants).

        ``types``: class local names to keep (e.g. ``["ProtectionOrderRegime"]``); ``country``: a country
        IRI to keep; ``lang``: search only texts in this language (and untagged ones, such as the report's
        quotations) and show labels in it; ``limit``: at most this many hits (0..1000); ``label_lang``: show
        labels in this language instead (a page's language, when the search is not restricted). Never raises.
        """
        query = text if isinstance(text, str) else ""
        terms = query_words(query)
        try:
            limit = max(0, min(int(limit), MAX_LIMIT))
        except (TypeError, ValueError):
            limit = 50
        lang = lang.lower() if isinstance(lang, str) and lang.strip() else None
        wanted_types = {str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in types} if types else None
        wanted_country = str(country) if country else None
        empty = SearchResults(query, tuple(terms), [], 0)
        if not terms:
            return empty

        expression = " AND ".join(self._expand(w) for w in terms)
        best: dict[URIRef, tuple[float, int, str, str, int]] = {}
        for rowid, entity, field_name, row_lang, score, col in self._match(expression, lang):
            if entity not in best or score > best[entity][0]:
                best[entity] = (score, rowid, field_name, row_lang, col)

        def type_ok(iri: URIRef) -> bool:
            return wanted_types is None or self._entities[iri].type in wanted_types

        def country_ok(iri: URIRef) -> bool:
            c = self._entities[iri].country
            return wanted_country is None or (c is not None and str(c) == wanted_country)

        matched = [iri for iri in best if iri in self._entities]
        type_facets = Counter(self._entities[i].type for i in matched if country_ok(i))
        country_facets = Counter(self._entities[i].country for i in matched if type_ok(i))
        kept = [i for i in matched if type_ok(i) and country_ok(i)]
        shown = label_lang or lang
        kept.sort(key=lambda i: (-best[i][0], self.label(i, shown).casefold(), str(i)))

        hits = []
        for iri in kept[:limit]:
            score, rowid, field_name, row_lang, col = best[iri]
            e = self._entities[iri]
            hits.append(Hit(iri, self.label(iri, shown), e.type, e.country, field_name, row_lang,
                            self._snippet(expression, rowid, col), round(score, 6)))
        suggestions: list[str] = []
        if not kept and suggest:
            suggestions = self.suggest(query, types=types, country=country, lang=lang)
        return SearchResults(query, tuple(terms), hits, len(kept), _facet(type_facets), _facet(country_facets),
                             suggestions)

    def suggest(self, text: object, *, limit: int = 5, **filters: Any) -> list[str]:
        """Queries close to ``text`` that have hits: each word without variants in the index replaced by
        similar indexed words (difflib ratio >= 0.75, among words of similar length; the commoner first)."""
        terms = query_words(text)
        if not terms:
            return []
        options: list[list[str]] = []
        changed = False
        for w in terms:
            if any(k in self._by_stem for k in stems(w)) or w in self._vocab:
                options.append([w])
                continue
            pool = [t for n in range(max(1, len(w) - 2), len(w) + 3) for t in self._by_length.get(n, ())]
            ranked = difflib.get_close_matches(w, pool, n=8, cutoff=0.75)
            ranked.sort(key=lambda t: (-round(difflib.SequenceMatcher(None, w, t).ratio(), 2), -self._vocab[t], t))
            close: list[str] = []
            for t in ranked:  # one word per set of variants: "protections" finds what "protection" finds
                if len(close) < 3 and not any(stems(t) & stems(c) for c in close):
                    close.append(t)
            if not close:
                return []
            options.append(close)
            changed = True
        if not changed:
            return []
        candidates: list[list[str]] = [[]]
        for opts in options:
            candidates = [[*c, o] for c in candidates for o in opts][:limit * 3]
        out: list[str] = []
        for c in candidates:
            q = " ".join(c)
            if q not in out and self.search(q, suggest=False, limit=1, **filters).total:
                out.append(q)
            if len(out) >= limit:
                break
        return out


def _row(d: Document, context: str) -> tuple[Any, ...]:
    col = column_of(d.field)
    texts: list[str | None] = [None] * len(COLUMNS)
    texts[col] = d.text
    texts[COLUMNS.index("context")] = context
    return (*texts, str(d.entity), d.field, d.lang, col)


# ------------------------------------------------------------------ the cache

_cache_lock = threading.Lock()
_cache: tuple[Hashable, SearchIndex, object] | None = None


def get_index(version: Hashable, load: Callable[[], tuple[Iterable[Any], Mapping[URIRef, URIRef]]],
              *, owner: object = None) -> SearchIndex:
    """The module's index for data version ``version``, built by ``load() -> (rows, countries)`` only when
    the version differs from the cached one. The token must tell stores apart if there are several
    (``owner`` is kept alive alongside, so an ``id()`` in the token stays unique)."""
    global _cache
    with _cache_lock:
        if _cache is not None and _cache[0] == version:
            return _cache[1]
        rows, countries = load()
        index = SearchIndex.build(rows, countries, version)
        _cache = (version, index, owner)
        return index


def index_for(store: Store, countries: Mapping[URIRef, URIRef] | Callable[[], Mapping[URIRef, URIRef]]
              ) -> SearchIndex:
    """The cached index of a store, rebuilt when ``store.version()`` changes. ``countries`` is the
    entity -> country mapping, or a function that computes it (called only on a rebuild)."""
    def load() -> tuple[list[Document], Mapping[URIRef, URIRef]]:
        return load_documents(store), countries() if callable(countries) else countries
    return get_index((id(store), store.version()), load, owner=store)


LANGUAGES = ("en", "ru")


def check_limit(limit: int, where: str = "limit") -> int:
    """``limit`` unchanged if a user may ask for it (MIN_LIMIT..MAX_LIMIT, the web route's bounds), else a
    :class:`BadInput` naming ``where`` (``--limit`` on the command line)."""
    if not MIN_LIMIT <= limit <= MAX_LIMIT:
        raise BadInput(f"limit {limit} is out of range: ask for {MIN_LIMIT} to {MAX_LIMIT} results", where=where)
    return limit


def twin(store: Store, results: SearchResults, *, types: Iterable[str] | None = None, country: str | None = None,
         lang: str | None = None) -> dict[str, Any]:
    """The machine twin of a search with the filters it answered (``type``, ``country`` as a slug, ``lang`` as
    given): ``/search?format=json`` and ``legalgraph search --format json`` give this one shape."""
    return {**results.as_dict(), "type": [str(t).removeprefix("lg:") for t in types or () if str(t).strip()],
            "country": entities.country(store, country), "lang": lang}


def search(store: Store, text: object, *, types: Iterable[str] | None = None, country: str | None = None,
           lang: str | None = None, limit: int = 50, label_lang: str | None = None,
           lang_param: str = "lang") -> SearchResults:
    """Search the store's texts: the front-ends' one entry point (``label_lang``: the labels' language).

    The index is built once per store version (:func:`index_for`) with the countries of
    :func:`legalgraph.services.entities.index` (the one rule of which country an entity belongs to).
    ``country`` is a user's country (slug, label or IRI) and ``types`` class local names; an unknown one is
    :class:`~legalgraph.errors.BadInput` listing the valid ones, as is a ``lang`` other than en or ru (named
    as ``lang_param``, the web's ``textLang``).
    """
    if lang is not None and str(lang).strip():
        lang = str(lang).strip().lower()
        if lang not in LANGUAGES:
            raise BadInput(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}",
                           where=lang_param, valid=list(LANGUAGES))
    else:
        lang = None
    slug = entities.country(store, country)

    def countries() -> dict[URIRef, URIRef]:
        return {iri: URIRef(f"{ID}country/{e.country}") for iri, e in entities.index(store).entities.items()
                if e.country}

    index = index_for(store, countries)
    wanted = [str(t).strip() for t in types or () if str(t).strip()]
    if wanted:
        known = index.types
        names = [t.removeprefix("lg:").rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in wanted]
        unknown = [t for t, n in zip(wanted, names, strict=True) if n not in known]
        if unknown:
            raise BadInput(f"unknown type {unknown[0]!r}; choose one of {', '.join(known)}", valid=known)
        wanted = names
    return index.search(text, types=wanted or None, country=URIRef(f"{ID}country/{slug}") if slug else None,
                        lang=lang, limit=limit, label_lang=label_lang if label_lang in LANGUAGES else None)


def clear_cache() -> None:
    """Forget the cached index (tests)."""
    global _cache
    with _cache_lock:
        _cache = None


__all__ = [
    "DOCUMENTS_QUERY", "Document", "Hit", "SearchIndex", "SearchResults", "Segment", "clear_cache", "fold",
    "get_index", "index_for", "load_documents", "query_words", "search", "stems", "words",
]
