"""Adding a validated entry to the graph, atomically, with its provenance (who, when, from which file)."""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from .namespaces import GRAPH, ID, LG
from .store import Store
from .validate import Report, validate


@dataclass
class AddResult:
    report: Report
    entry: URIRef | None = None
    graph: URIRef | None = None
    triples: int = 0


def entry_id(content: Graph, now: datetime) -> str:
    digest = hashlib.sha256(content.serialize(format="nt", encoding="utf-8")).hexdigest()[:12]
    return f"{now:%Y%m%dt%H%M%S}-{digest}"


def provenance(entry: URIRef, files: list[str], user: str, now: datetime, triples: int) -> Graph:
    g = Graph()
    g.add((entry, RDF.type, LG.Entry))
    g.add((entry, RDFS.label, Literal(f"Entry from {', '.join(files)}", lang="en")))
    g.add((entry, LG.addedBy, Literal(user)))
    g.add((entry, PROV.generatedAtTime, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    for f in files:
        g.add((entry, LG.sourceFile, Literal(f)))
    g.add((entry, DCTERMS.extent, Literal(triples, datatype=XSD.integer)))
    return g


def add(store: Store, content: Graph, files: list[str], user: str | None = None,
        now: datetime | None = None) -> AddResult:
    """Validate ``content``; if it has no violation, write it and its provenance in one transaction."""
    report = validate(store, content)
    if not report.conforms:
        return AddResult(report=report)
    now = now or datetime.now(UTC)
    eid = entry_id(content, now)
    entry, name = URIRef(f"{ID}entry/{eid}"), URIRef(f"{GRAPH}entry/{eid}")
    payload = Graph()
    payload += content
    payload += provenance(entry, files, user or getpass.getuser(), now, len(content))
    store.add(payload, name)
    return AddResult(report=report, entry=entry, graph=name, triples=len(content))
