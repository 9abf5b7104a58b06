"""Entry forms generated from the SHACL shapes: what the editor at ``/entries/new`` shows for each kind of entry.

The kinds are the classes listed as data in the shapes (``lgsh: lgsh:entryKinds ( … )`` in
``ontology/shapes/integrity.ttl``). A kind's form gathers the property shapes of every node shape that targets
the class or one of its superclasses: the path gives the field, ``sh:name`` and the ontology's labels (English and
Russian) its name, ``sh:minCount``/``sh:qualifiedMinCount`` and ``sh:maxCount`` whether it is required and
repeatable, ``sh:datatype`` (or an ``sh:or`` of them) its input and typing, ``sh:in`` or ``sh:class skos:Concept``
with the scheme a shape on ``( P skos:inScheme )`` names a choice of concepts by label, ``sh:class`` of a project
class a picker of existing entities, and ``sh:description`` its help for drafters, in English and Russian
(``"…"@en , "…"@ru``; an untagged one is English), else the validation message ``sh:message`` (English). Node-level
``sh:or`` shapes ("give at least one of …") become notes naming their fields; a member that becomes a field of its
own takes its help from the member's ``sh:description``. Nothing here is written per kind: change a shape
and the form follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from .. import i18n
from ..errors import BadInput
from ..i18n import N_
from ..i18n import gettext as _
from ..namespaces import ID, LG, short
from ..store.base import Store
from . import validation
from .memo import per_version
from .yaml_entries import _DATE_PATTERNS

LGSH = "https://w3id.org/legalgraph/shapes#"
ENTRY_KINDS = URIRef(LGSH + "entryKinds")
#: how a value of each datatype is entered, and the form a text must have to be typed so (dates by their form,
#: as YAML entries are: 2024, 2024-04, 2024-04-15)
INPUTS = {XSD.boolean: "boolean", XSD.integer: "integer", XSD.decimal: "decimal", XSD.duration: "duration",
          XSD.anyURI: "uri", XSD.string: "string", XSD.gYear: "date", XSD.gYearMonth: "date", XSD.date: "date"}
PATTERNS = {str(XSD[t.split(":")[1]]): rx.pattern for rx, t in _DATE_PATTERNS}
PATTERNS[str(XSD.integer)] = r"^[+-]?\d+$"
PATTERNS[str(XSD.decimal)] = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
PATTERNS[str(XSD.boolean)] = r"^(true|false)$"
#: where a field has no sh:order: between the label (0) and the source (99)
DEFAULT_ORDER = 50
#: the help of the "not stated" field, which no shape gives: interface text, translated on the page
NOT_STATED_HELP = N_("Where the source does not give a value the shapes ask for, say so here.")


@dataclass
class Option:
    """One allowed value: an IRI with its English and Russian labels."""

    iri: str
    label: str
    labelRu: str | None = None


@dataclass
class Field:
    """One property of an entry, as its property shapes describe it."""

    key: str  #: the path as validation reports name it (``lg:extendedDuration``): results map back to it
    path: str
    label: str
    labelRu: str | None
    help: str  #: in English (``sh:description``, else ``sh:message``)
    required: bool
    repeatable: bool
    #: text (language-tagged), string, integer, decimal, boolean, duration, date, uri, choice or entity
    input: str
    #: datatype IRIs with the regular expression a text must match to be typed so (the first is the default)
    datatypes: list[dict[str, str]] = field(default_factory=list)
    language: str | None = None  #: the one language a text must be in (sh:languageIn), else the user chooses
    options: list[Option] = field(default_factory=list)
    #: the options are a scheme's concepts, listed by label (a page lists them by the label in its language);
    #: otherwise in the order the shapes give (sh:in)
    optionsByLabel: bool = False
    classes: list[str] = field(default_factory=list)  #: class local names an entity picker searches
    pattern: str | None = None
    minInclusive: float | None = None
    order: int = DEFAULT_ORDER
    shape: str = ""  #: the sh:name of the node shape that asks for it
    helpRu: str | None = None  #: in Russian: the ``sh:description``@ru (the "not stated" help: the catalogue's)


@dataclass
class Alternative:
    """A node-level sh:or: at least one of these fields (``keys``) is needed."""

    message: str
    keys: list[str]


@dataclass
class Form:
    kind: str
    iri: str
    label: str
    labelRu: str | None
    description: str
    base: str  #: entities are named under this namespace
    prefix: str  #: how the identifier of this kind starts (``protection-order/``), from the IRI shape
    iriPattern: str | None
    iriHelp: str
    fields: list[Field]
    alternatives: list[Alternative]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def kinds(shapes: Graph | None = None) -> list[URIRef]:
    """The classes the editor offers a form for, in the order the shapes list them."""
    shapes = shapes if shapes is not None else validation.shapes()
    for head in shapes.objects(URIRef(LGSH), ENTRY_KINDS):
        return [c for c in Collection(shapes, head) if isinstance(c, URIRef)]
    return []


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(g: Graph, s: Node, p: URIRef, lang: str) -> str | None:
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def _described(g: Graph, shape: Node, lang: str) -> str | None:
    """A shape's ``sh:description`` in ``lang`` (English: an ``@en`` or an untagged one): a shape describes itself in
    several languages, and a form must not pick one at random."""
    found = [o for o in g.objects(shape, SH.description) if isinstance(o, Literal)]
    for wanted in ([lang, None] if lang == "en" else [lang]):
        for o in found:
            if o.language == wanted:
                return str(o)
    return None


def _label(g: Graph, iri: Node, lang: str = "en") -> str | None:
    return _text(g, iri, SKOS.prefLabel, lang) or _text(g, iri, RDFS.label, lang)


def _list(g: Graph, head: Node | None) -> list[Node]:
    return list(Collection(g, head)) if head is not None else []


def _superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def _subclasses(ontology: Graph, cls: URIRef) -> list[str]:
    return sorted({_local(c) for c in ontology.transitive_subjects(RDFS.subClassOf, cls)
                   if isinstance(c, URIRef) and str(c).startswith(str(LG))})


def _identifier_prefix(pattern: str | None) -> str:
    """The fixed start of an identifier after ``id/`` in an IRI shape's pattern: ``protection-order/``."""
    if not pattern:
        return ""
    rest = pattern.removeprefix("^").replace("\\.", ".").removeprefix(str(ID))
    if rest == pattern.removeprefix("^").replace("\\.", "."):
        return ""
    m = re.match(r"[a-z0-9/-]*", rest)
    fixed = m.group(0) if m else ""
    return fixed[: fixed.rfind("/") + 1]


class _Builder:
    """Reads one kind's form from the shapes and the ontology (with its vocabularies)."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.shapes, self.ontology = shapes, ontology

    def options_of_scheme(self, scheme: Node) -> list[Option]:
        concepts = {c for c in self.ontology.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}
        return sorted((self.option(c) for c in concepts), key=lambda o: (o.label.casefold(), o.iri))

    def option(self, iri: URIRef) -> Option:
        return Option(str(iri), _label(self.ontology, iri) or short(iri), _label(self.ontology, iri, "ru"))

    def schemes(self, node_shapes: list[Node]) -> dict[Node, Node]:
        """The concept scheme of each concept-valued property: a property shape on the path ( P skos:inScheme )
        with sh:in ( S ) says P takes the concepts of S."""
        out: dict[Node, Node] = {}
        for shape in node_shapes:
            for prop in self.shapes.objects(shape, SH.property):
                steps = _list(self.shapes, self.shapes.value(prop, SH.path)) \
                    if isinstance(self.shapes.value(prop, SH.path), BNode) else []
                allowed = _list(self.shapes, self.shapes.value(prop, SH["in"]))
                if len(steps) == 2 and steps[1] == SKOS.inScheme and len(allowed) == 1:
                    out[steps[0]] = allowed[0]
        return out

    def field(self, prop: Node, path: URIRef, shape_name: str, schemes: dict[Node, Node] | None = None) -> Field:
        s, o = self.shapes, self.ontology
        one = lambda p: s.value(prop, p)  # noqa: E731
        ors = [m for m in _list(s, one(SH["or"])) if isinstance(m, BNode)]
        datatypes = [d for d in [one(SH.datatype), *(s.value(m, SH.datatype) for m in ors)] if d is not None]
        classes = [c for c in [one(SH["class"]), *(s.value(m, SH["class"]) for m in ors)] if c is not None]
        qualified = one(SH.qualifiedValueShape)
        languages = [str(x) for x in _list(s, s.value(qualified, SH.languageIn))] if qualified is not None else []
        minimum = one(SH.minCount) or one(SH.qualifiedMinCount)
        maximum = one(SH.maxCount)
        options: list[Option] = []
        by_label = False
        if one(SH["in"]) is not None:
            options = [self.option(v) for v in _list(s, one(SH["in"])) if isinstance(v, URIRef)]
        elif SKOS.Concept in classes and (scheme := (schemes or {}).get(path)) is not None:
            options = self.options_of_scheme(scheme)
            by_label = True
        range_ = o.value(path, RDFS.range)
        if not datatypes and not classes and isinstance(range_, URIRef) and str(range_).startswith(str(XSD)):
            datatypes = [range_]
        if options:
            kind = "choice"
        elif classes or one(SH.nodeKind) == SH.IRI or (not datatypes and (path, RDF.type, OWL.ObjectProperty) in o):
            kind = "entity"
        elif datatypes:
            kind = INPUTS.get(datatypes[0], "string")  # type: ignore[call-overload]
        else:
            kind = "text"
        help_text = _described(s, prop, "en") or one(SH.message) or ""
        order = one(SH.order)
        low = one(SH.minInclusive)
        return Field(
            key=short(path), path=str(path), label=_label(o, path) or validation.shape_name(s, prop) or short(path),
            labelRu=_label(o, path, "ru") or validation.shape_name(s, prop, "ru"), help=str(help_text),
            helpRu=_described(s, prop, "ru"),
            required=bool(minimum and int(minimum) >= 1),
            repeatable=not (maximum is not None and int(maximum) <= 1),
            input=kind, datatypes=[{"iri": str(d), "pattern": PATTERNS.get(str(d), "")} for d in datatypes],
            language=languages[0] if len(languages) == 1 else None, options=options, optionsByLabel=by_label,
            classes=sorted({n for c in classes if c != SKOS.Concept for n in _subclasses(o, c)})
            or (["Concept"] if SKOS.Concept in classes else []),
            pattern=str(one(SH.pattern)) if one(SH.pattern) is not None else None,
            minInclusive=float(low) if isinstance(low, Literal) else None,
            order=int(order) if isinstance(order, Literal) else DEFAULT_ORDER, shape=shape_name)

    def plain_field(self, member: Node, path: URIRef, shape_name: str, message: str) -> Field:
        """A field for a property a node-level sh:or names without a property shape of its own: typed by the
        ontology alone (the member's sh:minCount asks for one of the alternatives, not for this field), helped by
        the member's description, else by the node shape's message."""
        node = BNode()
        g = Graph()
        g.add((node, SH.path, path))
        builder = _Builder(g, self.ontology)
        f = builder.field(node, path, shape_name)
        f.help = _described(self.shapes, member, "en") or message
        f.helpRu = _described(self.shapes, member, "ru")
        return f

    def form(self, cls: URIRef) -> Form:
        s, o = self.shapes, self.ontology
        targets = _superclasses(o, cls) | {cls}
        node_shapes = sorted({sh for c in targets for sh in s.subjects(SH.targetClass, c)}, key=str)
        fields: dict[str, Field] = {}
        alternatives: list[Alternative] = []
        not_stated: list[Option] = []
        iri_pattern, iri_help = None, ""
        schemes = self.schemes(node_shapes)

        def put(f: Field) -> None:
            if f.key not in fields:
                fields[f.key] = f
                return
            old = fields[f.key]  # two shapes on one path: the stricter of each
            old.required |= f.required
            old.repeatable &= f.repeatable
            old.order = min(old.order, f.order)
            old.labelRu = old.labelRu or f.labelRu
            old.help = old.help if f.help in old.help else f"{old.help} {f.help}".strip()
            if f.helpRu and (not old.helpRu or f.helpRu not in old.helpRu):
                old.helpRu = f"{old.helpRu or ''} {f.helpRu}".strip()

        for shape in node_shapes:
            name = validation.shape_name(s, shape) or _local(shape)
            if (pattern := s.value(shape, SH.pattern)) is not None:
                iri_pattern, iri_help = str(pattern), str(s.value(shape, SH.message) or "")
            for prop in s.objects(shape, SH.property):
                path = s.value(prop, SH.path)
                paths = [path] if isinstance(path, URIRef) else \
                    [p for p in _list(s, s.value(path, SH.alternativePath)) if isinstance(p, URIRef)]
                for p in paths:
                    put(self.field(prop, p, name, schemes))
        for shape in node_shapes:  # after every property shape: an alternative adds only what none describes
            name = validation.shape_name(s, shape) or _local(shape)
            members = _list(s, s.value(shape, SH["or"]))
            if members and all(isinstance(s.value(m, SH.path), URIRef | BNode) for m in members):
                keys = []
                message = str(s.value(shape, SH.message) or "")
                for m in members:
                    path = s.value(m, SH.path)
                    if not isinstance(path, URIRef):
                        continue  # an inverse path: stated by other entities, not in this form
                    if (value := s.value(m, SH.hasValue)) is not None:
                        if isinstance(value, URIRef) and all(x.iri != str(value) for x in not_stated):
                            not_stated.append(Option(str(value), _label(o, value) or short(value),
                                                     _label(o, value, "ru")))
                        keys.append(short(path))
                        continue
                    if short(path) not in fields:
                        put(self.plain_field(m, path, name, message))
                    keys.append(short(path))
                alternatives.append(Alternative(message, list(dict.fromkeys(keys))))
        if not_stated:
            path = LG.notStated
            put(Field(key=short(path), path=str(path), label=_label(o, path) or "not stated",
                      labelRu=_label(o, path, "ru"),
                      help=NOT_STATED_HELP, helpRu=i18n.translations("ru").gettext(NOT_STATED_HELP),
                      required=False, repeatable=True, input="choice", options=not_stated, order=98))
        ordered = sorted(fields.values(), key=lambda f: (f.order, not f.required, f.label.casefold()))
        return Form(kind=_local(cls), iri=str(cls), label=_label(o, cls) or _local(cls),
                    labelRu=_label(o, cls, "ru"), description=_text(o, cls, RDFS.comment, "en") or "",
                    base=str(ID), prefix=_identifier_prefix(iri_pattern), iriPattern=iri_pattern, iriHelp=iri_help,
                    fields=ordered, alternatives=alternatives)


def forms(store: Store, shapes: Graph | None = None) -> list[Form]:
    """Every kind's form, in the order of ``lgsh:entryKinds`` (read them, never change them)."""
    return _forms(store, shapes if shapes is not None else validation.shapes())


@per_version(maxsize=8)
def _forms(store: Store, shapes: Graph) -> list[Form]:
    """Kept per store version and shapes graph (a graph hashes by its identifier: a re-read shapes file is
    another graph, so the forms follow a changed shape)."""
    builder = _Builder(shapes, validation.context(store))
    return [builder.form(c) for c in kinds(shapes)]


def form(store: Store, kind: str, shapes: Graph | None = None) -> Form:
    """The form of one kind (a class local name, e.g. ``ProtectionOrderRegime``); a bad kind lists the valid ones."""
    every = forms(store, shapes)
    for f in every:
        if f.kind == kind:
            return f
    raise BadInput(f"unknown kind of entry {kind!r}", where="kind", valid=[f.kind for f in every],
                   hint="choose one of the kinds /entries/new lists")


def summary(found: Iterable[Form]) -> list[dict[str, str | None]]:
    """The kinds as a list for people and machines: kind, label (English, Russian), description."""
    return [{"kind": f.kind, "label": f.label, "labelRu": f.labelRu, "description": f.description} for f in found]


def shown(store: Store, lang: str, shapes: Graph | None = None) -> list[dict[str, Any]]:
    """Every kind's form as the editor page in ``lang`` shows it (the machine twin is :meth:`Form.as_dict`, the
    same in every language). Forms, fields and options carry ``label`` in the page's language (English where the
    data has no Russian), ``labelLang`` its language, and ``other``/``otherLang`` the label in the other language,
    shown beside it. A field's ``help`` is its description in the page's language (Russian on a Russian page where
    the shapes give one, else English; the "not stated" help is interface text, translated) and ``helpLang`` says
    which. Other texts from the shapes (``iriHelp``, the alternatives' messages) and the kind's description are
    English, as the shapes and the ontology give them."""
    return _shown(store, shapes if shapes is not None else validation.shapes(), lang)


@per_version(maxsize=8)
def _shown(store: Store, shapes: Graph, lang: str) -> list[dict[str, Any]]:
    """Kept per store version, shapes graph and language: the words depend on all three."""
    with i18n.using(lang):
        return [_in_language(f.as_dict(), lang) for f in _forms(store, shapes)]


def _named(item: dict[str, Any], lang: str) -> None:
    english, russian = item.pop("label"), item.pop("labelRu", None)
    if lang == "ru" and russian:
        label, label_lang, other = russian, "ru", english
    else:  # English, or Russian where the data has no Russian label
        label, label_lang, other = english, "en", russian if lang != "ru" else None
    item.update(label=label, labelLang=label_lang, other=other,
                otherLang=("en" if label_lang == "ru" else "ru") if other else None)


def _in_language(form_: dict[str, Any], lang: str) -> dict[str, Any]:
    _named(form_, lang)
    for f in form_["fields"]:
        _named(f, lang)
        for option in f["options"]:
            _named(option, lang)
        if f["optionsByLabel"]:
            f["options"].sort(key=lambda o: (o["label"].casefold(), o["iri"]))
        russian = f.pop("helpRu", None)
        f["helpLang"] = "en"
        if f["help"] == NOT_STATED_HELP:
            f["help"], f["helpLang"] = _(NOT_STATED_HELP), lang
        elif lang == "ru" and russian:
            f["help"], f["helpLang"] = russian, "ru"
    return form_
