#!/usr/bin/env python3
"""A deterministic generator of a large synthetic graph in the legalgraph ontology, for benchmarks.

The output is scaled up from the shipped data (``data/*.ttl``) and follows the same modelling
(docs/MODELLING.md): synthetic countries (``country/synth-{cc}`` with two-letter codes that are not those of
the five shipped countries), their report sections, places, organisations, legal acts (laws, codes, decrees,
drafts; with ``eli:amends``/``eli:amended_by``, ``lg:replaces`` and ``lg:amendsDraft``) carrying hundreds
of articles, sub-articles and paragraphs, obligations grounded in articles, perpetrator programmes (umbrella
programmes with mandatory and voluntary variants), protection-order regimes, criminalisation statuses, case
studies and recommendations. Every entity has an English ``rdfs:label`` and a ``dcterms:source`` section.

The file refers to no entity of ``data/`` except ``source/mapping-report`` (``data/sources.ttl``), so it
conforms to ``ontology/shapes/integrity.ttl`` with only the ontology, the vocabularies and the sources
loaded beside it. The same seed and size give a byte-identical file.

Usage::

    python bench/synth.py --triples 100000 -o synth.ttl          # about 10^5 triples
    python bench/synth.py --entry-for synth.ttl -o entry.ttl      # a ~50-triple entry that fits synth.ttl
"""

from __future__ import annotations

import argparse
import io
import random
import re
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

SEED = 20231
SHIPPED_CODES = ("kz", "kg", "tj", "tm", "uz")
COUNTRY_BUDGET = 25_000  # triples per synthetic country at large sizes

V = "https://w3id.org/legalgraph/vocab/"
HEADER = f"""\
@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix acttype: <{V}act-type/> .
@prefix orgtype: <{V}org-type/> .
@prefix violence: <{V}violence-form/> .
@prefix modality: <{V}modality/> .
@prefix referral: <{V}referral-path/> .
@prefix setting: <{V}setting/> .
@prefix status: <{V}status/> .
@prefix gender: <{V}gender/> .
@prefix duty: <{V}duty-type/> .
@prefix topic: <{V}topic/> .
@prefix crimlevel: <{V}criminalisation-level/> .
"""

# ------------------------------------------------------------------ word lists

SYLLABLES = ("ar", "bel", "cor", "dan", "el", "far", "gor", "hal", "is", "jan", "kel", "lor", "mar", "nor",
             "or", "pel", "quor", "ros", "sal", "tor", "ul", "ver", "wen", "yar", "zan", "tal", "mir", "kas")
SUFFIXES = ("ia", "istan", "land", "ora", "enia", "ovia", "ar", "eth")
PLACE_KINDS = ("city", "oblast", "district", "town")
SUBJECTS = (
    "Prevention of Domestic Violence", "Protection against Domestic Violence", "Social Services",
    "Gender Equality", "Crime Prevention", "Probation", "Local Self-Government", "Child Protection",
    "Health Care", "the Police", "Legal Aid", "Social Protection of the Population", "State Guarantees of "
    "Equal Rights for Women and Men", "Victim Support", "Family Support Centres", "the Procedure for "
    "Correctional Programmes", "Mediation", "the Execution of Criminal Penalties",
)
CODES = ("criminal-code", "code-of-offences", "family-code", "criminal-procedure-code", "civil-code",
         "penal-enforcement-code", "labour-code", "housing-code")
VERBS = ("Establishes", "Defines", "Regulates", "Sets out", "Lays down", "Specifies", "Provides for", "Introduces")
OBJECTS = ("the powers of the authorised body", "the procedure for issuing protection orders",
           "the rights of survivors of domestic violence", "the obligations of the perpetrator",
           "the referral of perpetrators to correctional programmes", "the co-ordination of state bodies",
           "the funding of crisis centres", "the training of police officers", "the registration of cases",
           "sanctions for violating a protection order", "the monitoring of programme participants",
           "the role of local self-governments", "the confidentiality of personal data",
           "the duties of social workers", "the content of the model correctional programme",
           "the evaluation of programmes", "co-operation with civil society organisations")
QUALIFIERS = ("in cases of domestic violence", "at the local level", "within the multi-agency response",
              "under a protection order", "for the duration of the programme", "in accordance with this Law",
              "subject to the approval of the Government", "in co-operation with crisis centres", "")
DUTIES = (
    ("conduct-programme", "Conduct correctional programmes for perpetrators"),
    ("undergo-programme", "Undergo a correctional programme"),
    ("elaborate-programme", "Participate in elaborating correctional programmes"),
    ("fund", "Allocate funds for correctional programmes"),
    ("inform", "Inform the perpetrator about the possibilities of a behaviour modification programme"),
    ("coordinate", "Co-ordinate the response to domestic violence"),
    ("resolve-cases", "Evaluate and resolve cases relating to domestic violence"),
    ("execute", "Execute the implementing decree"),
    ("determine-procedure", "Determine the procedure for correctional programmes"),
    ("prevent", "Take measures to prevent domestic violence"),
    ("guarantee-protection", "Guarantee the protection of survivors"),
    ("identify", "Identify families at risk of domestic violence"),
)
PROVIDER_KINDS = (
    ("crisis-centre", "crisis centre", ("crisis-centre", "cso")),
    ("ngo", "public association", ("cso",)),
    ("rehabilitation-centre", "rehabilitation centre", ("rehabilitation-centre",)),
    ("consultation-room", "consultation room", ("consultation-room",)),
    ("perpetrator-centre", "centre for work with perpetrators", ("perpetrator-centre", "cso")),
    ("shelter", "shelter", ("shelter", "cso")),
)
PROVIDER_NAMES = ("chance", "sezim", "nadezhda", "ishonch", "umid", "dignity", "bereke", "aiyl", "ak-jol",
                  "zhenskiy-dom", "harmony", "new-way", "sunrise", "mehr", "bilim", "shanyrak", "oasis",
                  "rainbow", "podruga", "salamat")
DURATIONS = (("P28D", "four weeks"), ("P1M", "one month"), ("P2M", "two months"), ("P3M", "three months"),
             ("P4M", "four months"), ("P6M", "six months"), ("P168D", "24 weeks"), ("P1Y", "one year"))
TOPICS = ("criminalisation", "survivor-safety", "no-mediation", "accountability", "multisectoral-response",
          "standards", "survivor-support", "availability", "duration", "mandatory-programmes", "staff-training",
          "monitoring-evaluation", "custodial", "referral", "funding", "separation", "gender-balance",
          "legislation", "pilots", "capacity-building", "probation", "risk-assessment", "behaviour-change")
REFERRALS = ("police", "protection-order", "court", "self-referral", "social-services", "civil-society")
SETTINGS = ("community", "residential", "mobile", "custodial", "online")
VIOLENCE = ("physical", "psychological", "economic", "sexual")


# ------------------------------------------------------------------ Turtle terms

def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def en(s: str) -> str:
    return f'"{esc(s)}"@en'


def plain(s: str) -> str:
    return f'"{esc(s)}"'


def typed(v: object, dt: str) -> str:
    return f'"{v}"^^xsd:{dt}'


def year(y: int) -> str:
    return typed(y, "gYear")


def ref(path: str) -> str:
    return f"<{path}>"


def boolean(b: bool) -> str:
    return "true" if b else "false"


Props = list[tuple[str, list[str]]]


class Writer:
    """Writes one Turtle block per entity and counts triples."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.triples = 0

    def entity(self, path: str, cls: str, props: Props) -> None:
        lines = [f"<{path}> a {cls}"]
        n = 1
        for pred, objs in props:
            if objs:
                lines.append(f"    {pred} {' , '.join(objs)}")
                n += len(objs)
        self.out.write(" ;\n".join(lines) + " .\n\n")
        self.triples += n

    def triple(self, path: str, pred: str, obj: str) -> None:
        self.out.write(f"<{path}> {pred} {obj} .\n\n")
        self.triples += 1

    def comment(self, text: str) -> None:
        self.out.write(f"# {text}\n\n")


# ------------------------------------------------------------------ one country

@dataclass
class Act:
    path: str
    short: str
    kind: str
    year: int
    articles: list[str] = field(default_factory=list)


class Country:
    def __init__(self, w: Writer, rng: random.Random, cc: str, budget: int) -> None:
        self.w, self.rng, self.cc, self.budget = w, rng, cc, budget
        self.start = w.triples
        self.scale = max(0.1, min(1.0, budget / COUNTRY_BUDGET))
        self.name = (rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(SUFFIXES)).capitalize()
        self.country = ref(f"country/synth-{cc}")
        self.top = f"section/synth-{cc}"
        self.sec = {k: ref(f"section/synth-{cc}-{k}") for k in
                    ("legal-framework", "perpetrator-programmes", "case-studies", "recommendations")}
        self.places: list[str] = []
        self.state_orgs: dict[str, str] = {}
        self.regional_orgs: list[str] = []
        self.providers: list[tuple[str, str, str]] = []  # (path, label, place)
        self.acts: list[Act] = []
        self.programmes: list[str] = []
        self.numbers: set[int] = set()

    # -- helpers --------------------------------------------------------
    def used(self) -> int:
        return self.w.triples - self.start

    def n(self, lo: int, hi: int) -> int:
        return self.rng.randint(max(1, int(lo * self.scale)), max(2, int(hi * self.scale)))

    def sentence(self) -> str:
        q = self.rng.choice(QUALIFIERS)
        return f"{self.rng.choice(VERBS)} {self.rng.choice(OBJECTS)}{' ' + q if q else ''}."

    def number(self) -> int:
        while True:
            k = self.rng.randint(1, 999)
            if k not in self.numbers:
                self.numbers.add(k)
                return k

    def src(self, *keys: str) -> list[str]:
        return [self.sec[k] for k in keys]

    # -- the parts, in order ------------------------------------------------
    def generate(self) -> None:
        self.w.comment(f"Synthetic country {self.name} ({self.cc.upper()})")
        self.sections()
        self.country_node()
        self.place_nodes()
        self.organisations()
        self.methods_and_tools()
        core = self.core_acts()
        self.protection_orders(core)
        self.criminalisation(core)
        self.programme_nodes(core)
        self.case_studies()
        self.recommendations(core)
        while self.used() < self.budget:
            self.extra_act()

    def sections(self) -> None:
        w = self.w
        w.entity(self.top, "lg:Section", [
            ("rdfs:label", [en(f"{self.name} (synthetic)")]),
            ("lg:sectionPath", [plain(self.name)]),
            ("dcterms:title", [en(self.name)]),
            ("dcterms:isPartOf", [ref("section/synth")]),
            ("dcterms:source", [ref("source/mapping-report")]),
        ])
        titles = {"legal-framework": "Legal framework", "perpetrator-programmes": "Perpetrator programmes",
                  "case-studies": "Case studies", "recommendations": "Country-specific recommendations"}
        for key, title in titles.items():
            w.entity(f"section/synth-{self.cc}-{key}", "lg:Section", [
                ("rdfs:label", [en(f"{self.name} › {title}")]),
                ("lg:sectionPath", [plain(f"{self.name} › {title}")]),
                ("dcterms:title", [en(title)]),
                ("dcterms:isPartOf", [ref(self.top)]),
                ("dcterms:source", [ref("source/mapping-report")]),
            ])

    def country_node(self) -> None:
        self.w.entity(f"country/synth-{self.cc}", "lg:Country", [
            ("rdfs:label", [en(self.name)]),
            ("skos:altLabel", [en(f"Republic of {self.name}")]),
            ("skos:notation", [plain(self.cc.upper())]),
            ("dcterms:source", [ref(self.top), self.sec["legal-framework"]]),
        ])

    def place_nodes(self) -> None:
        seen: set[str] = set()
        for i in range(3 + self.budget // 6000):
            base = self.rng.choice(SYLLABLES) + self.rng.choice(SYLLABLES) + self.rng.choice(("", "abad", "kent", "sk"))
            kind = "city" if i == 0 else self.rng.choice(PLACE_KINDS)
            slug = f"{self.cc}-{base}" if base not in seen else f"{self.cc}-{base}-{i}"
            seen.add(base)
            label = f"{base.capitalize()} {kind}" if kind != "city" else base.capitalize()
            props: Props = [("rdfs:label", [en(label)]), ("lg:country", [self.country])]
            if i and self.rng.random() < 0.3:
                props.append(("dcterms:isPartOf", [ref(self.places[0])]))
            props.append(("dcterms:source", self.src("perpetrator-programmes")))
            self.w.entity(f"place/{slug}", "lg:Place", props)
            self.places.append(f"place/{slug}")

    def organisations(self) -> None:
        n = self.name
        state = [
            ("government", f"Government of {n}", "government", None),
            ("parliament", f"Parliament of {n}", "parliament", None),
            ("ministry-of-labour", "Ministry of Labour and Social Protection", "ministry", "government"),
            ("ministry-of-interior", "Ministry of Internal Affairs", "ministry", "government"),
            ("ministry-of-justice", "Ministry of Justice", "ministry", "government"),
            ("ministry-of-health", "Ministry of Health", "ministry", "government"),
            ("ministry-of-education", "Ministry of Education", "ministry", "government"),
            ("police", f"Police of {n}", "police", "ministry-of-interior"),
            ("courts", f"Courts of {n}", "court", None),
            ("prosecutors", f"Prosecutors of {n}", "state-agency", None),
            ("probation-service", f"Probation service of {n}", "probation", "ministry-of-justice"),
            ("local-self-governments", "Local self-governments", "local-government", None),
            ("commission-on-women", "Committee on Women and Family Affairs", "commission", "government"),
            ("social-services-agency", "State Agency for Social Services", "state-agency", "ministry-of-labour"),
        ]
        for slug, label, kind, parent in state:
            path = f"org/{self.cc}-{slug}"
            props: Props = [
                ("rdfs:label", [en(f"{label} ({n})" if n not in label else label)]),
                ("org:classification", [f"orgtype:{kind}"]),
                ("lg:country", [self.country]),
            ]
            if parent:
                props.append(("org:subOrganizationOf", [ref(f"org/{self.cc}-{parent}")]))
            props += [("dcterms:description", [en(f"Synthetic {kind.replace('-', ' ')} of {n}.")]),
                      ("dcterms:source", self.src("legal-framework"))]
            self.w.entity(path, "lg:Organisation", props)
            self.state_orgs[slug] = path
        for place in self.places:
            pslug = place.split("/", 1)[1][3:]
            for slug, label, kind, parent in (
                    ("social-services", "Social services department", "state-agency", "social-services-agency"),
                    ("police-department", "Police department", "police", "police")):
                path = f"org/{self.cc}-{pslug}-{slug}"
                self.w.entity(path, "lg:Organisation", [
                    ("rdfs:label", [en(f"{label} of {pslug.replace('-', ' ').title()}")]),
                    ("org:classification", [f"orgtype:{kind}"]),
                    ("org:subOrganizationOf", [ref(f"org/{self.cc}-{parent}")]),
                    ("lg:country", [self.country]),
                    ("lg:place", [ref(place)]),
                    ("dcterms:source", self.src("legal-framework")),
                ])
                self.regional_orgs.append(path)
        names = list(PROVIDER_NAMES)
        self.rng.shuffle(names)
        for i in range(3 + self.budget // 1000):
            # the first provider of every country is a crisis centre, as in the shipped countries
            kind, kind_label, types = PROVIDER_KINDS[0] if i == 0 else self.rng.choice(PROVIDER_KINDS)
            name = names[i % len(names)] + ("" if i < len(names) else f"-{i // len(names) + 1}")
            path = f"org/{self.cc}-{name}-{kind}"
            place = self.rng.choice(self.places)
            label = f"{name.replace('-', ' ').title()} {kind_label}"
            start = self.rng.randint(1998, 2021)
            self.w.entity(path, "lg:Organisation", [
                ("rdfs:label", [en(label)]),
                ("org:classification", [f"orgtype:{t}" for t in types]),
                ("lg:country", [self.country]),
                ("lg:place", [ref(place)]),
                ("lg:startYear", [year(start)]),
                ("lg:cooperatesWith", [ref(self.state_orgs["ministry-of-labour"])]
                 if self.rng.random() < 0.3 else []),
                ("dcterms:description", [en(f"Synthetic {kind_label} that runs perpetrator programmes.")]),
                ("dcterms:source", self.src("perpetrator-programmes", "case-studies")),
                ("lg:evidence", [plain(f"{label} has worked with perpetrators since {start}")]),
            ])
            self.providers.append((path, label, place))

    def methods_and_tools(self) -> None:
        self.method = f"method/synth-{self.cc}-curriculum"
        self.tool = f"tool/synth-{self.cc}-follow-up-questionnaire"
        self.w.entity(self.method, "lg:Methodology", [
            ("rdfs:label", [en(f"National curriculum for perpetrator programmes ({self.name})")]),
            ("dcterms:source", self.src("perpetrator-programmes")),
        ])
        self.w.entity(self.tool, "lg:EvaluationTool", [
            ("rdfs:label", [en(f"Follow-up questionnaire ({self.name})")]),
            ("lg:publisher", [ref(self.state_orgs["ministry-of-labour"])]),
            ("lg:followUpDuration", [typed("P12M", "duration")]),
            ("dcterms:source", self.src("perpetrator-programmes")),
        ])

    # -- legal acts ---------------------------------------------------------
    def act(self, kind: str, *, code: str | None = None, subject: str | None = None,
            amends: Act | None = None, n_articles: int | None = None) -> Act:
        rng, n = self.rng, self.name
        y = rng.randint(1995, 2023)
        num = self.number()
        subject = subject or rng.choice(SUBJECTS)
        if code:
            slug, title = f"{self.cc}-{code}", code.replace("-", " ").capitalize()
            short = f"the {title} of {n}"
            label = f"{title} of {n}"
        elif kind == "draft-law":
            slug, title = f"{self.cc}-draft-law-{num}-{y}", f"Draft Law on {subject}"
            short, label = f"the draft law No. {num}", f"Draft Law No. {num} ({y}) on {subject} ({n})"
        elif kind == "law":
            slug, title = f"{self.cc}-law-{num}-{y}", f"Law of {n} No. {num} ({y}) on {subject}"
            short, label = f"Law No. {num} ({y})", f"Law No. {num} ({y}) on {subject} ({n})"
        else:
            slug = f"{self.cc}-{kind}-{num}-{y}"
            title = f"{kind.capitalize()} of the Government of {n} No. {num} ({y}) on {subject}"
            short = f"{kind.capitalize()} No. {num} ({y})"
            label = f"{short} on {subject} ({n})"
        path = f"act/{slug}"
        act = Act(path, short, kind, y)
        props: Props = [
            ("rdfs:label", [en(label)]),
            ("eli:title", [en(title)]),
            ("eli:type_document", [f"acttype:{'code' if code else kind}"]),
            ("lg:jurisdiction", [self.country]),
        ]
        if code:
            props.append(("lg:notStated", ["lg:adoptionYear"]) if rng.random() < 0.3
                         else ("lg:adoptionYear", [year(y)]))
            props += [("lg:status", ["status:adopted", "status:amended"]),
                      ("eli:in_force", ["eli:InForce-inForce"])]
        elif kind == "draft-law":
            withdrawn = rng.random() < 0.25
            props += [("lg:year", [year(y)]),
                      ("lg:status", ["status:withdrawn" if withdrawn else "status:draft"])]
            if withdrawn:
                props.append(("lg:withdrawalDate", [year(min(2023, y + 1))]))
        else:
            props += [("lg:actNumber", [plain(str(num))]), ("lg:adoptionYear", [year(y)])]
            if rng.random() < 0.4:
                props.append(("lg:adoptionDate", [typed(f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                                        "date")]))
            props += [("lg:status", ["status:adopted", "status:in-force"]),
                      ("eli:in_force", ["eli:InForce-inForce"]),
                      ("eli:passed_by", [ref(self.state_orgs["parliament" if kind == "law" else "government"])])]
        if kind in ("law", "draft-law") and rng.random() < 0.6:
            props.append(("lg:formsOfViolence", [f"violence:{v}" for v in rng.sample(VIOLENCE, rng.randint(1, 4))]))
        if amends is not None:
            props.append(("lg:amendsDraft" if kind == "draft-law" else "eli:amends", [ref(amends.path)]))
        props.append(("lg:provides", [en(f"{self.sentence()} {self.sentence()}")]))
        if rng.random() < 0.3:
            props += [("lg:listedInAppendix", ["true"]), ("lg:appendixOrder", [str(len(self.acts) + 1)]),
                      ("lg:availableInRussianAt",
                       [typed(f"https://legislation.synth-{self.cc}.example/act/{num}", "anyURI")])]
        props.append(("dcterms:source", self.src("legal-framework")))
        self.w.entity(path, "lg:LegalAct", props)
        if amends is not None and kind != "draft-law":
            self.w.triple(amends.path, "eli:amended_by", ref(path))
        self.articles(act, n_articles)
        if kind in ("decree", "resolution"):
            for k in range(1, rng.randint(2, 4)):
                self.w.entity(f"{path}/annex-{k}", "lg:Annex", [
                    ("rdfs:label", [en(f"Annex {k} to {short}")]),
                    ("eli:is_part_of", [ref(path)]),
                    ("eli:number", [plain(str(k))]),
                    ("lg:provides", [en(self.sentence())]),
                    ("dcterms:source", self.src("legal-framework")),
                ])
        self.acts.append(act)
        if kind != "draft-law":
            self.obligations(act)
        return act

    def articles(self, act: Act, n_articles: int | None) -> None:
        rng, w = self.rng, self.w
        ranges = {"code": (200, 400), "law": (80, 250), "decree": (40, 150), "resolution": (40, 150),
                  "draft-law": (10, 60)}
        lo, hi = ranges[act.kind]
        count = n_articles if n_articles is not None else self.n(lo, hi)
        src = self.src("legal-framework")
        for i in range(1, count + 1):
            art = f"{act.path}/art-{i}"
            w.entity(art, "lg:Article", [
                ("rdfs:label", [en(f"Article {i} of {act.short}")]),
                ("eli:is_part_of", [ref(act.path)]),
                ("eli:number", [plain(str(i))]),
                ("lg:provides", [en(self.sentence())]),
                ("dcterms:source", src),
            ])
            act.articles.append(art)
            r = rng.random()
            if r < 0.12:  # sub-articles 11.1, 11.2 … part of the article
                for j in range(1, rng.randint(2, 4)):
                    w.entity(f"{act.path}/art-{i}-{j}", "lg:Article", [
                        ("rdfs:label", [en(f"Article {i}.{j} of {act.short}")]),
                        ("eli:is_part_of", [ref(art)]),
                        ("eli:number", [plain(f"{i}.{j}")]),
                        ("lg:provides", [en(self.sentence())]),
                        ("dcterms:source", src),
                    ])
            elif r < 0.2:  # paragraphs of the article
                for k in range(1, rng.randint(2, 4)):
                    w.entity(f"{art}/para-{k}", "lg:Provision", [
                        ("rdfs:label", [en(f"Article {i}, paragraph {k} of {act.short}")]),
                        ("eli:is_part_of", [ref(art)]),
                        ("eli:number", [plain(f"{i}({k})")]),
                        ("lg:provides", [en(self.sentence())]),
                        ("dcterms:source", src),
                    ])

    def obligations(self, act: Act) -> None:
        rng = self.rng
        bearers = [*self.state_orgs.values(), *self.regional_orgs]
        base = act.path.split("/", 1)[1][3:]
        for k in range(1, len(act.articles) // 8 + 1):
            dslug, duty_text = rng.choice(DUTIES)
            if dslug == "undergo-programme":
                bearer = "role/synth-perpetrator"
            elif dslug == "conduct-programme" and self.providers and rng.random() < 0.3:
                bearer = rng.choice(self.providers)[0]
            else:
                bearer = rng.choice(bearers)
            basis = rng.sample(act.articles, min(len(act.articles), rng.choice((1, 1, 1, 2))))
            concerns = dslug in ("conduct-programme", "undergo-programme", "elaborate-programme", "fund")
            self.w.entity(f"obligation/{self.cc}-{base}-{k}", "lg:Obligation", [
                ("rdfs:label", [en(f"{duty_text} ({act.short}, obligation {k})")]),
                ("lg:bearer", [ref(bearer)]),
                ("lg:duty", [en(f"{duty_text} {rng.choice(QUALIFIERS)}".strip() + ".")]),
                ("lg:dutyType", [f"duty:{dslug}"]),
                ("lg:legalBasis", [ref(a) for a in basis]),
                ("lg:country", [self.country]),
                ("lg:concernsProgrammes", ["true"] if concerns else []),
                ("lg:footnote", [str(rng.randint(1, 60))] if rng.random() < 0.2 else []),
                ("dcterms:source", self.src("legal-framework")),
            ])

    def core_acts(self) -> dict[str, Act]:
        core = {
            "criminal-code": self.act("code", code="criminal-code"),
            "code-of-offences": self.act("code", code="code-of-offences"),
            "dv-law": self.act("law", subject="Prevention of Domestic Violence"),
            "decree": self.act("resolution", subject="the Procedure for Correctional Programmes"),
        }
        self.codes_used = {"criminal-code", "code-of-offences"}
        return core

    def extra_act(self) -> None:
        rng = self.rng
        r = rng.random()
        earlier = [a for a in self.acts if a.kind != "draft-law"]
        if r < 0.08 and len(self.codes_used) < len(CODES):
            code = next(c for c in CODES if c not in self.codes_used)
            self.codes_used.add(code)
            self.act("code", code=code)
        elif r < 0.45:
            amends = rng.choice(earlier) if rng.random() < 0.5 else None
            new = self.act("law", amends=amends)
            if amends is None and rng.random() < 0.1:
                self.w.triple(new.path, "lg:replaces", ref(rng.choice(earlier).path))
        elif r < 0.75:
            self.act(rng.choice(("decree", "resolution")), amends=rng.choice(earlier) if rng.random() < 0.2 else None)
        else:
            self.act("draft-law", amends=rng.choice(earlier))

    # -- regimes, statuses, programmes --------------------------------------
    def protection_orders(self, core: dict[str, Act]) -> None:
        rng = self.rng
        law = core["dv-law"]
        regimes = [(law, None)] if self.budget < 10_000 else [(law, law.year - rng.randint(3, 10)), (law, None)]
        for basis, until in regimes:
            initial, text = rng.choice((("P3D", "three days"), ("P10D", "ten days"), ("P15D", "15 days")))
            ext, ext_text = rng.choice((("P1M", "one month"), ("P30D", "30 days"), ("P3M", "three months")))
            suffix = f"{basis.path.split('/', 1)[1][3:]}" + ("" if until is None else "-previous")
            props: Props = [
                ("rdfs:label", [en(f"Protection orders under {basis.short} ({self.name})"
                                   + (" before the amendment" if until else ""))]),
                ("lg:country", [self.country]),
                ("lg:legalBasis", [ref(basis.articles[min(5, len(basis.articles) - 1)])]),
                ("lg:issuer", [ref(self.state_orgs["police"])]),
                ("lg:extensionIssuer", [ref(self.state_orgs["courts"])]),
                ("lg:initialDuration", [typed(initial, "duration")]),
                ("lg:extendedDuration", [typed(ext, "duration")]),
                ("lg:maximumDuration", [typed("P1Y", "duration")] if rng.random() < 0.3 else []),
                ("lg:durationText", [en(f"initial order valid for {text}; can be extended to {ext_text}")]),
                ("lg:initialOrderObligesProgramme", [boolean(rng.random() < 0.3)]),
                ("lg:extensionObligesProgramme", [boolean(rng.random() < 0.7)]),
                ("lg:sanction", [en("A warning or community service for violating the order")]),
                ("lg:sanctionCommunityServiceHours", [str(rng.choice((20, 40, 60, 80)))]),
                ("lg:sanctionBasis", [ref(core["code-of-offences"].path)]),
                ("lg:validUntil", [year(until)] if until else []),
                ("dcterms:source", self.src("legal-framework")),
            ]
            self.w.entity(f"protection-order/{self.cc}-{suffix}", "lg:ProtectionOrderRegime", props)

    def criminalisation(self, core: dict[str, Act]) -> None:
        rng = self.rng
        change = rng.randint(2012, 2023)
        code, offences = core["criminal-code"], core["code-of-offences"]
        stand_alone = rng.random() < 0.5
        self.w.entity(f"criminalisation/{self.cc}-before-{change}-administrative", "lg:CriminalisationStatus", [
            ("rdfs:label", [en(f"{self.name}: domestic violence an administrative offence until {change}")]),
            ("lg:country", [self.country]),
            ("lg:criminalised", ["false"]),
            ("lg:standAloneOffence", ["false"]),
            ("lg:criminalisationLevel", ["crimlevel:administrative"]),
            ("lg:validUntil", [year(change)]),
            ("lg:legalBasis", [ref(offences.articles[0])]),
            ("dcterms:source", self.src("legal-framework")),
        ])
        self.w.entity(f"criminalisation/{self.cc}-{change}-criminal", "lg:CriminalisationStatus", [
            ("rdfs:label", [en(f"{self.name}: domestic violence a criminal offence from {change}")]),
            ("lg:country", [self.country]),
            ("lg:criminalised", ["true"]),
            ("lg:standAloneOffence", [boolean(stand_alone)]),
            ("lg:criminalisationLevel", ["crimlevel:stand-alone" if stand_alone else "crimlevel:elements-only"]),
            ("lg:validFrom", [year(change)]),
            ("lg:legalBasis", [ref(rng.choice(code.articles))]),
            ("dcterms:source", self.src("legal-framework")),
        ])

    def programme(self, path: str, label: str, provider: tuple[str, str, str], basis: Act, *,
                  modality: str | None, variant_of: str | None = None, umbrella: bool = False) -> None:
        rng = self.rng
        props: Props = [
            ("rdfs:label", [en(label)]),
            ("lg:variantOf", [ref(variant_of)] if variant_of else []),
            ("lg:provider", [ref(provider[0])]),
            ("lg:country", [self.country]),
            ("lg:place", [ref(provider[2])]),
            ("lg:startYear", [year(rng.randint(2005, 2023))]),
            ("lg:programmeStatus", [f"status:{rng.choice(('active', 'active', 'active', 'pilot', 'stopped'))}"]),
        ]
        if modality:
            props.append(("lg:modality", [f"modality:{modality}"]))
        elif not umbrella:
            props.append(("lg:notStated", ["lg:modality"]))
        props.append(("lg:targetGender", [f"gender:{rng.choice(('men', 'men', 'women', 'men-and-women'))}"]))
        if not umbrella:
            ind, grp = rng.randint(0, 10), rng.randint(0, 30)
            dur, dur_text = rng.choice(DURATIONS)
            props += [("lg:individualSessions", [str(ind)]), ("lg:groupSessions", [str(grp)]),
                      ("lg:totalSessions", [str(ind + grp)]), ("lg:duration", [typed(dur, "duration")]),
                      ("lg:durationText", [en(dur_text)])]
            if rng.random() < 0.4:
                props.append(("lg:completions", [str(rng.randint(0, 400))]))
        props += [
            ("lg:legalBasis", [ref(basis.path)] if rng.random() < 0.7 else []),
            ("lg:referralPath", [f"referral:{r}" for r in rng.sample(REFERRALS, rng.randint(1, 2))]),
            ("lg:referredBy", [ref(self.state_orgs["police"])] if modality == "mandatory" else []),
            ("lg:methodology", [ref(self.method)] if rng.random() < 0.6 else []),
            ("lg:evaluationTool", [ref(self.tool)] if rng.random() < 0.3 else []),
            ("lg:setting", [f"setting:{rng.choice(SETTINGS)}"]),
            ("lg:riskAssessment", [boolean(rng.random() < 0.5)] if rng.random() < 0.6 else []),
            ("lg:staffTrained", ["true"] if rng.random() < 0.7 else []),
            ("lg:genderBalancedStaff", [boolean(rng.random() < 0.5)] if rng.random() < 0.4 else []),
            ("lg:separateFromSurvivorServices", [boolean(rng.random() < 0.5)] if rng.random() < 0.4 else []),
            ("dcterms:source", self.src("perpetrator-programmes", "case-studies")),
        ]
        self.w.entity(path, "lg:PerpetratorProgramme", props)
        self.programmes.append(path)

    def programme_nodes(self, core: dict[str, Act]) -> None:
        rng = self.rng
        for provider in self.providers:
            base = f"programme/{provider[0].split('/', 1)[1]}"
            basis = rng.choice((core["dv-law"], core["decree"]))
            if rng.random() < 0.5:
                self.programme(base, f"{provider[1]} perpetrator programme", provider, basis,
                               modality=rng.choice(("mandatory", "voluntary", None)))
            else:
                self.programme(base, f"{provider[1]} perpetrator programmes", provider, basis,
                               modality=None, umbrella=True)
                for m in ("mandatory", "voluntary"):
                    self.programme(f"{base}-{m}", f"{provider[1]} {m} programme", provider, basis,
                                   modality=m, variant_of=base)

    def case_studies(self) -> None:
        for k, provider in enumerate(self.providers[:2], start=1):
            name = provider[0].split("/", 1)[1][3:]
            self.w.entity(f"case-study/{self.cc}-{k}-{name}", "lg:CaseStudy", [
                ("rdfs:label", [en(f"Case study {k}. {provider[1]}")]),
                ("lg:caseNumber", [str(k)]),
                ("lg:country", [self.country]),
                ("lg:concerns", [ref(provider[0])] + [ref(p) for p in self.programmes if name in p]),
                ("dcterms:source", self.src("case-studies")),
            ])

    def recommendations(self, core: dict[str, Act]) -> None:
        rng = self.rng
        for k in range(1, 4 + self.budget // 4000):
            topics = rng.sample(TOPICS, rng.randint(1, 3))
            concerns = [ref(core[rng.choice(("dv-law", "decree"))].path)]
            if self.programmes and rng.random() < 0.5:
                concerns.append(ref(rng.choice(self.programmes)))
            self.w.entity(f"recommendation/{self.cc}-{k}", "lg:Recommendation", [
                ("rdfs:label", [en(f"{self.name} recommendation {k}: {topics[0].replace('-', ' ')}")]),
                ("lg:ordinal", [str(k)]),
                ("lg:addressee", [self.country]),
                ("lg:topic", [f"topic:{t}" for t in topics]),
                ("lg:text", [en(f"Strengthen {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}".strip() + ".")]),
                ("lg:concerns", concerns),
                ("dcterms:source", self.src("recommendations")),
            ])


# ------------------------------------------------------------------ the file

def country_codes(rng: random.Random, n: int) -> list[str]:
    codes = [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase if a + b not in SHIPPED_CODES]
    rng.shuffle(codes)
    if n > len(codes):
        raise ValueError(f"at most {len(codes)} synthetic countries")
    return codes[:n]


def generate(out: TextIO, triples: int, seed: int = SEED) -> int:
    """Write about ``triples`` triples of synthetic data to ``out``; return the exact count."""
    rng = random.Random(seed)
    n_countries = max(2, round(triples / COUNTRY_BUDGET))
    budget = max(500, triples // n_countries)
    out.write("# Synthetic legalgraph data for benchmarks (bench/synth.py). Not facts of the report.\n")
    out.write(f"# seed={seed} triples~{triples} countries={n_countries}\n")
    out.write(HEADER + "\n")
    w = Writer(out)
    w.entity("section/synth", "lg:Section", [
        ("rdfs:label", [en("Synthetic data for benchmarks")]),
        ("lg:sectionPath", [plain("Synthetic data")]),
        ("dcterms:isPartOf", [ref("source/mapping-report")]),
        ("dcterms:source", [ref("source/mapping-report")]),
    ])
    w.entity("role/synth-perpetrator", "lg:Role", [
        ("rdfs:label", [en("Perpetrator (synthetic countries)")]),
        ("dcterms:source", [ref("section/synth")]),
    ])
    for cc in country_codes(rng, n_countries):
        Country(w, rng, cc, budget).generate()
    return w.triples


# ------------------------------------------------------------------ entry

_SUBJECT = re.compile(r"^<([^>]+)> a (lg:\w+)")


def _entry_patterns(cc: str) -> dict[str, re.Pattern[str]]:
    return {
        "law": re.compile(rf"^act/{cc}-law-\d+-\d{{4}}$"),
        "ministry": re.compile(rf"^org/{cc}-ministry-of-labour$"),
        "provider": re.compile(rf"^org/{cc}-[a-z0-9-]+-crisis-centre$"),
        "place": re.compile(rf"^place/{cc}-[a-z0-9-]+$"),
        "tool": re.compile(rf"^tool/synth-{cc}-[a-z0-9-]+$"),
        "method": re.compile(rf"^method/synth-{cc}-[a-z0-9-]+$"),
    }


def entry_refs(path: Path) -> dict[str, str]:
    """IRIs (relative) of the first synthetic country of ``path`` and of its law, ministry, provider, place,
    tool and method: what an entry refers to."""
    found: dict[str, str] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            m = _SUBJECT.match(line)
            if not m:
                continue
            iri = m.group(1)
            if iri == "role/synth-perpetrator":
                found["perpetrator"] = iri
            elif "cc" not in found:
                cm = re.match(r"^country/synth-([a-z]{2})$", iri)
                if cm:
                    found.update(cc=cm.group(1), country=iri)
                    patterns = _entry_patterns(cm.group(1))
            else:
                for key, rx in patterns.items():
                    if key not in found and rx.match(iri):
                        found[key] = iri
                if all(k in found for k in patterns):
                    break
    missing = [k for k in ("perpetrator", "country", *patterns) if k not in found]
    if missing or not patterns:
        raise ValueError(f"{path}: found no {', '.join(missing) or 'country'} to refer to; "
                         "is it a bench/synth.py file?")
    return found


def entry(refs: dict[str, str]) -> str:
    """A ~50-triple entry: a new article of an existing law, an obligation on it, and a new programme."""
    cc = refs["cc"]
    art = f"{refs['law']}/art-9001"
    ob = f"obligation/{cc}-bench-entry-provide-programme"
    ob2 = f"obligation/{cc}-bench-entry-undergo-programme"
    prog = f"programme/{cc}-bench-entry-programme"
    sec = f"section/synth-{cc}-legal-framework"
    sec_p = f"section/synth-{cc}-perpetrator-programmes"
    buf = io.StringIO()
    w = Writer(buf)
    buf.write("# A new entry for the validation benchmark (bench/synth.py --entry-for).\n")
    buf.write(HEADER + "\n")
    w.entity(art, "lg:Article", [
        ("rdfs:label", [en("Article 9001 (benchmark entry): six-month correctional programmes")]),
        ("eli:is_part_of", [ref(refs["law"])]),
        ("eli:number", [plain("9001")]),
        ("lg:provides", [en("Obliges the ministry to provide correctional programmes of at least six months.")]),
        ("dcterms:source", [ref(sec)]),
    ])
    w.entity(ob, "lg:Obligation", [
        ("rdfs:label", [en("Ministry to provide six-month correctional programmes (benchmark entry)")]),
        ("lg:bearer", [ref(refs["ministry"])]),
        ("lg:duty", [en("Provide correctional programmes of at least six months through crisis centres.")]),
        ("lg:dutyType", ["duty:conduct-programme", "duty:fund"]),
        ("lg:legalBasis", [ref(art)]),
        ("lg:country", [ref(refs["country"])]),
        ("lg:concernsProgrammes", ["true"]),
        ("dcterms:source", [ref(sec)]),
    ])
    w.entity(ob2, "lg:Obligation", [
        ("rdfs:label", [en("Perpetrators to complete the programme (benchmark entry)")]),
        ("lg:bearer", [ref(refs["perpetrator"])]),
        ("lg:duty", [en("Complete the programme when a protection order is extended.")]),
        ("lg:dutyType", ["duty:undergo-programme"]),
        ("lg:legalBasis", [ref(art)]),
        ("lg:country", [ref(refs["country"])]),
        ("dcterms:source", [ref(sec)]),
    ])
    w.entity(prog, "lg:PerpetratorProgramme", [
        ("rdfs:label", [en("Six-month mandatory programme (benchmark entry)")]),
        ("lg:provider", [ref(refs["provider"])]),
        ("lg:country", [ref(refs["country"])]),
        ("lg:place", [ref(refs["place"])]),
        ("lg:startYear", [year(2024)]),
        ("lg:programmeStatus", ["status:planned"]),
        ("lg:modality", ["modality:mandatory"]),
        ("lg:targetGender", ["gender:men"]),
        ("lg:individualSessions", ["6"]),
        ("lg:groupSessions", ["24"]),
        ("lg:totalSessions", ["30"]),
        ("lg:duration", [typed("P6M", "duration")]),
        ("lg:durationText", [en("six months")]),
        ("lg:legalBasis", [ref(art)]),
        ("lg:referralPath", ["referral:court", "referral:protection-order"]),
        ("lg:methodology", [ref(refs["method"])]),
        ("lg:evaluationTool", [ref(refs["tool"])]),
        ("lg:setting", ["setting:community"]),
        ("lg:riskAssessment", ["true"]),
        ("lg:staffTrained", ["true"]),
        ("lg:genderBalancedStaff", ["true"]),
        ("lg:separateFromSurvivorServices", ["true"]),
        ("lg:cooperatesWithSurvivorServices", ["true"]),
        ("dcterms:description", [en("Illustrative entry for the validation benchmark, not from the report.")]),
        ("dcterms:source", [ref(sec_p)]),
    ])
    buf.write(f"# {w.triples} triples\n")
    return buf.getvalue()


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=10_000, help="approximate number of triples (default 10000)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--entry-for", type=Path, metavar="FILE",
                    help="instead of a graph, write a ~50-triple entry that refers to entities of FILE")
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.entry_for:
        args.output.write_text(entry(entry_refs(args.entry_for)), encoding="utf-8")
        return 0
    with args.output.open("w", encoding="utf-8", newline="\n") as f:
        n = generate(f, args.triples, args.seed)
    print(f"{n} triples -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
