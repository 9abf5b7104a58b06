"""A remote SPARQL 1.1 server behind the same narrow :class:`~legalgraph.store.Store` interface.

Any server that speaks the SPARQL 1.1 Protocol (queries), SPARQL 1.1 Update and the Graph Store Protocol
works: Oxigraph server, Apache Jena Fuseki, Virtuoso, GraphDB. legalgraph keeps one named graph per
source file there, exactly as in the embedded store, and asks for the union of those graphs as the default
graph of every query, so queries mean the same thing on both backends:

* ``union="graphs"`` (default, portable): each query names the dataset with ``default-graph-uri`` and
  ``named-graph-uri`` (the server's named graphs, listed once and cached for ``graphs_ttl`` seconds);
* ``union="server"``: the server already answers with the union as default graph (``oxigraph serve
  --union-default-graph``, Virtuoso's default, Fuseki's ``unionDefaultGraph``); nothing is sent.

Safety: every query is checked locally before it leaves (SERVICE is refused: the server would otherwise
fetch remote data), every request has a client time bound, and responses are read with a byte cap. A
query that outlives its bound is abandoned by the client; set the server's own limits too (Virtuoso's
``MaxQueryExecutionTime``), since the SPARQL protocol has no way to cancel it.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Lit
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node, Variable

from ..errors import BadInput, LegalgraphError, StoreUnavailable, TimedOut, TooLarge
from ..namespaces import PREFIXES
from .base import (
    Answer,
    Capabilities,
    DatasetSpec,
    Meter,
    bind_prefixes,
    graph_name,
    is_source_graph,
    replace_update,
    source_files,
)
from .binding import bind
from .guard import declares_dataset, precheck

ACCEPT_ROWS = "application/sparql-results+json"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
UNION_MODES = ("graphs", "server")
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Endpoints:
    """Where the server answers: queries, updates (optional) and the Graph Store Protocol (optional)."""

    query: str
    update: str | None = None
    gsp: str | None = None

    @classmethod
    def from_url(cls, url: str, update: str | None = None, gsp: str | None = None) -> Endpoints:
        """Endpoints from the query URL; Oxigraph's layout (``/query``, ``/update``, ``/store``) is derived.

        Fuseki's layout (``/{dataset}/query``, ``/{dataset}/update``, ``/{dataset}/data``) is derived from a
        ``/sparql`` query URL. For other servers give the update and GSP endpoints explicitly, e.g. Virtuoso
        ``/sparql-auth`` and ``/sparql-graph-crud-auth``.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadInput(f"{url!r} is not a SPARQL endpoint URL: give http(s)://host:port/path")
        path = parts.path.rstrip("/")
        if path == "/query":  # Oxigraph server: /query, /update, /store at the root
            layout = ("/update", "/store")
        elif path.endswith(("/query", "/sparql")) and path.count("/") == 2:  # Fuseki: /{dataset}/query|sparql
            base = path.rsplit("/", 1)[0]
            layout = (base + "/update", base + "/data")
        else:
            return cls(url, update, gsp)
        update = update or urlunsplit(parts._replace(path=layout[0], query=""))
        gsp = gsp or urlunsplit(parts._replace(path=layout[1], query=""))
        return cls(url, update, gsp)


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class RemoteStore:
    """A SPARQL 1.1 server as the store. See the module docstring."""

    def __init__(self, endpoints: Endpoints, *, timeout: float = 30.0, max_response_bytes: int = 64 * 2**20,
                 auth: httpx.Auth | None = None, union: Lit["graphs", "server"] = "graphs",
                 graphs_ttl: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        if union not in UNION_MODES:
            raise BadInput(f"union mode {union!r} is not one of {', '.join(UNION_MODES)}", valid=list(UNION_MODES))
        self.endpoints, self.timeout, self.max_response_bytes = endpoints, timeout, max_response_bytes
        self.union, self.graphs_ttl = union, graphs_ttl
        self.capabilities = Capabilities(persistent=True, runs_out_of_process=True)
        self._client = httpx.Client(auth=auth, timeout=timeout, follow_redirects=False, transport=transport,
                                    headers={"User-Agent": "legalgraph"})
        self._graphs: tuple[float, list[URIRef]] | None = None
        self._relisting = threading.Lock()
        self._writes = 0

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP -------------------------------------------------------------
    def _send(self, method: str, url: str, what: str, *, timeout: float | None = None,
              max_bytes: int | None = None, **kwargs: object) -> tuple[str, bytes]:
        """One request; the body read up to the byte cap. Errors say what failed and what to do."""
        limit = self.timeout if timeout is None else timeout
        try:
            with self._client.stream(method, url, timeout=limit, **kwargs) as r:  # type: ignore[arg-type]
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    cap = self.max_response_bytes if max_bytes is None else max_bytes
                    if len(body) > cap:
                        raise TooLarge(f"the answer of {url} is over {cap} bytes")
                if r.status_code in (401, 403):
                    raise StoreUnavailable(f"{url} refused {what} (HTTP {r.status_code})",
                                           hint="give credentials with LEGALGRAPH_STORE_USER and "
                                                "LEGALGRAPH_STORE_PASSWORD, or use an endpoint that allows it")
                if r.status_code >= 400:
                    detail = bytes(body[:600]).decode("utf-8", "replace").strip()
                    cls = BadInput if r.status_code == 400 else StoreUnavailable
                    raise cls(f"{url} refused {what} (HTTP {r.status_code}): {detail}")
                return r.headers.get("content-type", "").split(";")[0].strip(), bytes(body)
        except httpx.TimeoutException:
            raise TimedOut(f"{what} at {url} took longer than {limit:g} s and was abandoned") from None
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL server at {url} ({exc}). Is it running? Check --store, "
                                   "LEGALGRAPH_STORE or the [store] table of legalgraph.toml") from None

    def _dataset_params(self, dataset: DatasetSpec | None, text: str = "") -> list[tuple[str, str]]:
        if dataset and (dataset[0] or dataset[1]):
            return ([("default-graph-uri", g) for g in dataset[0]]
                    + [("named-graph-uri", g) for g in dataset[1]])
        if self.union == "server" or declares_dataset(text):  # the protocol's graphs would override FROM
            return []
        graphs = [str(g) for g in self.named_graphs(cached=True)]
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    # -- Store interface --------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              dataset: DatasetSpec | None = None, base_iri: str | None = None, *,
              max_rows: int | None = None, max_bytes: int | None = None, timeout: float | None = None) -> Answer:
        """Checked here too (SERVICE refused before anything is sent), whoever the caller."""
        limit = self.max_response_bytes if max_bytes is None else min(max_bytes, self.max_response_bytes)
        return Meter(max_rows, None).check(self._query(sparql, bindings, dataset, base_iri, timeout, limit))

    def _query(self, sparql: str, bindings: Mapping[str, Node] | None, dataset: DatasetSpec | None,
               base_iri: str | None, timeout: float | None, max_bytes: int) -> Answer:
        text = bind(sparql, bindings)
        form = precheck(text, max_chars=10**9).form
        if base_iri and not text.lstrip().upper().startswith("BASE"):
            text = f"BASE <{base_iri}>\n" + text
        text = _prologue() + text
        accept = ACCEPT_GRAPH if form in ("CONSTRUCT", "DESCRIBE") else ACCEPT_ROWS
        form_body = urlencode([("query", text), *self._dataset_params(dataset, text)])
        ctype, body = self._send("POST", self.endpoints.query, "the query", timeout=timeout, max_bytes=max_bytes,
                                 content=form_body.encode(), headers={"Accept": accept, "Content-Type": FORM})
        return _parse_answer(ctype, body, self.endpoints.query)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the server's update endpoint (LOAD and SERVICE refused before sending)."""
        precheck(sparql, max_chars=10**9, allow_update=True)
        url = self._need("update")
        self._send("POST", url, "the update", content=(_prologue() + sparql).encode(),
                   headers={"Content-Type": "application/sparql-update"})
        self._stale()
        self._writes += 1

    def graph(self, name: URIRef) -> Graph:
        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name},
                         dataset=([], [str(name)]))
        return res.graph if res.graph is not None else Graph()

    def named_graphs(self, cached: bool = False) -> list[URIRef]:
        if cached and self._graphs is not None and time.monotonic() - self._graphs[0] < self.graphs_ttl:
            return self._graphs[1]
        graphs = self._list_graphs("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        if not graphs:  # Virtuoso answers an empty GRAPH pattern with ?g unbound (SPARQL 1.1: one row a graph)
            graphs = self._list_graphs("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        self._graphs = (time.monotonic(), graphs)
        return graphs

    def _list_graphs(self, query: str) -> list[URIRef]:
        ctype, body = self._send("POST", self.endpoints.query, "listing the named graphs",
                                 content=urlencode({"query": query}).encode(),
                                 headers={"Accept": ACCEPT_ROWS, "Content-Type": FORM})
        return sorted(r[0] for r in _parse_answer(ctype, body, self.endpoints.query).rows if isinstance(r[0], URIRef))

    def add(self, graph: Graph, name: URIRef) -> None:
        """Add ``graph`` to the named graph ``name`` in one request (one transaction on the server)."""
        body = graph.serialize(format="nt", encoding="utf-8")
        if self.endpoints.gsp:
            self._send("POST", self.endpoints.gsp, "adding the entry", params={"graph": str(name)},
                       content=body, headers={"Content-Type": "application/n-triples"})
        else:
            url = self._need("update")
            text = f"INSERT DATA {{ GRAPH {name.n3()} {{\n{body.decode()}\n}} }}"
            self._send("POST", url, "adding the entry", content=text.encode(),
                       headers={"Content-Type": "application/sparql-update"})
        self._stale()
        self._writes += 1

    def _stale(self) -> None:
        """After a write: the listing must be read again, but :meth:`version` may answer from the old one
        until it is."""
        if self._graphs is not None:
            self._graphs = (float("-inf"), self._graphs[1])

    def version(self) -> object:
        """Other clients may write too: the named graphs (listed at most every ``graphs_ttl`` seconds) and our
        own writes. An entry added elsewhere is a new named graph, so it shows within ``graphs_ttl`` and one
        request.

        Only the first call waits for the server. Later, a stale listing is read again on a background thread
        while the old one answers, so that a caller on the web service's event loop (the endpoint's answer
        cache asks for the version on every request) never waits for the network."""
        if self._graphs is None:
            return self._writes, tuple(self.named_graphs(cached=True))
        listed_at, graphs = self._graphs
        if time.monotonic() - listed_at >= self.graphs_ttl and self._relisting.acquire(blocking=False):
            def relist() -> None:
                try:
                    self.named_graphs()
                except LegalgraphError:  # the server is away: the next call tries again
                    pass
                finally:
                    self._relisting.release()

            threading.Thread(target=relist, name="legalgraph-relist", daemon=True).start()
        return self._writes, tuple(graphs)

    def triples(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=None)
        return int(res.rows[0][0].toPython()) if res.rows else 0  # type: ignore[union-attr]

    def remove_graph(self, name: URIRef) -> None:
        url = self._need("gsp")
        try:
            self._send("DELETE", url, f"dropping {name}", params={"graph": str(name)})
        except StoreUnavailable as exc:
            if "HTTP 404" not in str(exc):
                raise
        self._stale()
        self._writes += 1

    def replace_graphs(self, drop: Iterable[URIRef], add: Mapping[URIRef, Graph]) -> None:
        """One SPARQL Update request: the server applies it as one transaction."""
        text = replace_update(list(drop), add)
        if text:
            url = self._need("update")
            self._send("POST", url, "replacing graphs", content=text.encode(),
                       headers={"Content-Type": "application/sparql-update"})
        self._stale()
        self._writes += 1

    # -- loading ----------------------------------------------------------
    def load(self, files: Iterable[Path] | None = None, *, force: bool = False, prune: bool = True) -> list[Path]:
        """Replace each file's named graph on the server with the file (GSP PUT: one request per file).

        With ``prune``, graphs of the shipped source directories whose file is gone are dropped; graphs
        added by users (entries) are left alone.
        """
        url = self._need("gsp")
        files = list(source_files() if files is None else files)
        for p in files:
            with p.open("rb") as fh:
                self._send("PUT", url, f"loading {p.name}", params={"graph": str(graph_name(p))},
                           content=fh, headers={"Content-Type": "text/turtle"},
                           timeout=max(self.timeout, 600.0))
        if prune:
            wanted = {str(graph_name(p)) for p in files}
            for g in self.named_graphs():
                if is_source_graph(str(g)) and str(g) not in wanted:
                    self._send("DELETE", url, f"dropping {g}", params={"graph": str(g)})
        self._stale()
        self._writes += 1
        return files

    def _need(self, kind: str) -> str:
        url = getattr(self.endpoints, kind)
        if not url:
            env = {"update": "LEGALGRAPH_STORE_UPDATE", "gsp": "LEGALGRAPH_STORE_GSP"}[kind]
            raise StoreUnavailable(f"the store at {self.endpoints.query} has no {kind} endpoint configured: set "
                                   f"{env} (or --store-{kind}, or {kind} = ... under [store] in legalgraph.toml)")
        return url


def _parse_answer(ctype: str, body: bytes, url: str) -> Answer:
    """A SPARQL JSON result or an RDF graph, parsed by rdflib's own result and RDF parsers."""
    try:
        if ctype in ("application/sparql-results+json", "application/json"):
            res = Result.parse(io.BytesIO(body), format="json")
            if res.type == "ASK":
                return Answer("ask", boolean=bool(res.askAnswer))
            names = [str(v) for v in res.vars or []]
            return Answer("select", variables=names,
                               rows=[tuple(row.get(Variable(v)) for v in names) for row in res.bindings])
        fmt = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}.get(ctype)
        if fmt is None:
            raise StoreUnavailable(f"{url} answered with {ctype or 'no content type'}, which legalgraph cannot read",
                                   hint="the server should offer application/sparql-results+json and "
                                        "application/n-triples")
        g = Graph()
        g.parse(data=body, format=fmt)
        return Answer("graph", graph=bind_prefixes(g))
    except LegalgraphError:
        raise
    except Exception as exc:  # a malformed answer from the server
        raise StoreUnavailable(f"cannot read the answer of {url} ({ctype}): {exc}") from exc
