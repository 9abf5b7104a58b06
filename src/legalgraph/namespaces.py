"""Namespaces and the documented IRI patterns (docs/MODELLING.md), in one place."""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

LG = Namespace("https://w3id.org/legalgraph/ontology#")
ID = Namespace("https://w3id.org/legalgraph/id/")
VOCAB = Namespace("https://w3id.org/legalgraph/vocab/")
GRAPH = Namespace("https://w3id.org/legalgraph/graph/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")

PREFIXES: dict[str, str] = {
    "lg": str(LG),
    "id": str(ID),
    "lgv": str(VOCAB),
    "eli": str(ELI),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_CC = r"[a-z]{2}"  # ISO 3166-1 alpha-2, lower case
_PROVISION = r"/(?:art|annex|action|para)-[a-z0-9]+(?:-[a-z0-9]+)*"

#: class local name -> regular expression for the IRI path after ``ID``.
IRI_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"^{rx}$")
    for name, rx in {
        "Country": rf"country/{_SLUG}",
        "Region": rf"region/{_SLUG}",
        "Place": rf"place/{_CC}-{_SLUG}",
        "LegalAct": rf"act/{_CC}-{_SLUG}",
        "Provision": rf"(?:act/{_CC}-{_SLUG}|standard/{_SLUG})(?:{_PROVISION})+",
        "Article": rf"(?:act/{_CC}-{_SLUG}|standard/{_SLUG})(?:{_PROVISION})+",
        "Annex": rf"(?:act/{_CC}-{_SLUG}|standard/{_SLUG})(?:{_PROVISION})+",
        "Organisation": rf"org/(?:{_CC}|int)-{_SLUG}",
        "Role": rf"role/{_SLUG}",
        "Obligation": rf"obligation/{_CC}-{_SLUG}",
        "PerpetratorProgramme": rf"programme/{_CC}-{_SLUG}",
        "ProtectionOrderRegime": rf"protection-order/{_CC}-{_SLUG}",
        "CriminalisationStatus": rf"criminalisation/{_CC}-{_SLUG}",
        "InternationalStandard": rf"standard/{_SLUG}",
        "Benchmark": rf"benchmark/{_SLUG}",
        "EvaluationTool": rf"tool/{_SLUG}",
        "Methodology": rf"method/{_SLUG}",
        "CaseStudy": rf"case-study/{_CC}-{_SLUG}",
        "Recommendation": rf"recommendation/(?:{_CC}|general)-[0-9]+",
        "Activity": rf"activity/(?:{_CC}|int)-{_SLUG}",
        "SourceDocument": rf"source/{_SLUG}",
        "Section": rf"section/{_SLUG}",
        "Statement": rf"statement/{_SLUG}",
        "Discrepancy": rf"discrepancy/{_SLUG}",
        "OfficialDocument": rf"source/{_SLUG}",
        "Amendment": rf"amendment/{_CC}-{_SLUG}",
        "RecommendationFollowUp": rf"follow-up/(?:{_CC}|general)-{_SLUG}",
        "Entry": rf"entry/{_SLUG}",
        "Retraction": rf"retraction/{_SLUG}",
    }.items()
}



def short(iri: object) -> str:
    """The one short form of an IRI for people and for node ids: a project entity's path after ``id/``
    (``programme/kg-chance``), a known namespace as ``prefix:local`` (``lg:Country``), anything else whole."""
    s = str(iri)
    if s.startswith(str(ID)):
        return s[len(str(ID)):]
    for prefix, ns in PREFIXES.items():
        if s.startswith(ns) and prefix != "id":
            return f"{prefix}:{s[len(ns):]}"
    return s


def local_name(iri: object) -> str:
    """The last segment of an IRI (after ``#`` or ``/``): a class or property name, a concept's slug."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
