"""SHACL-SPARQL constraints run on the store: one query per constraint for all focus nodes at once.

pySHACL evaluates a constraint's SELECT once per focus node, with rdflib, over an in-memory copy of the
whole graph: 2 s on the shipped graph and hours at 10^6 triples. The benchmark shapes use a small part of
SHACL (node shapes with ``sh:targetClass``, ``sh:sparql`` SELECT constraints with one ``sh:message``, and
``sh:SPARQLFunction`` s written as a chain of BINDs), which plain SPARQL 1.1 can say for every focus node at
once. :func:`compile_shapes` turns such a shapes graph into one query per constraint, run by any backend
through the bounded store:

* the pre-bound ``$this`` becomes a join: every group pattern (the WHERE group, OPTIONAL and UNION branches;
  not EXISTS, which sees the outer binding) starts with ``?this rdf:type/rdfs:subClassOf* ?target``, the
  shape's target classes as pySHACL finds their instances;
* a SHACL function call is replaced by its body's expressions, substituted in (the arguments guarded so
  that an unbound one is an error, as the call is);
* prefixes are those pySHACL prepends (``sh:prefixes`` / ``sh:declare``);
* a ``FILTER NOT EXISTS`` that means the same as ``MINUS`` is written so (:func:`not_exists_as_minus`):
  Oxigraph runs the one per outer row and the other once (15 s against 0.1 s at 10^6 triples).

:func:`violations` runs them and makes the results pySHACL would report: the same de-duplication of
solutions per focus node and the same message templating. Shapes graphs that use anything else make
:func:`compile_shapes` return None, and callers fall back to pySHACL; ``tests/test_assess.py`` compares both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..store.base import Answer, Store
from ..store.guard import precheck

#: The SHACL terms the compiler understands; a shapes graph using any other ``sh:`` term is left to pySHACL.
_SUPPORTED = {SH[t] for t in ("targetClass", "severity", "sparql", "name", "description", "message", "select",
                              "prefixes", "declare", "prefix", "namespace", "parameter", "returnType", "path",
                              "datatype", "order")}
_SUPPORTED_TYPES = {SH.NodeShape, SH.SPARQLConstraint, SH.SPARQLFunction}

_TOKEN = re.compile(
    r'(?P<s>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<c>#[^\r\n]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)"
    r"|(?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w:%\-\u00b7\u00c0-\uffff]"
    r"(?:[\w.:%\-\u00b7\u00c0-\uffff]*[\w:%\-\u00b7\u00c0-\uffff])?)?)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<ws>\s+)"
    r"|(?P<p>.)",
    re.DOTALL,
)
_TYPE_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
#: Keywords that change what pre-binding ``$this`` means (per focus node vs once for all) or that SHACL forbids.
_UNSUPPORTED_WORDS = {"LIMIT", "OFFSET", "GROUP", "HAVING", "ORDER", "VALUES", "MINUS", "SERVICE", "COUNT", "SUM",
                      "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "FROM", "GRAPH"}


_NOT_IRI = re.compile(r'[<>"{}|^`\\\s]')


class Unsupported(Exception):
    """The shapes use SHACL the compiler does not translate; pySHACL must run them."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(text: str) -> list[Token]:
    """SPARQL text as tokens whose texts join back to ``text`` exactly."""
    return [Token(m.lastgroup or "p", m.group(0)) for m in _TOKEN.finditer(text)]


def _code(toks: list[Token]) -> Iterator[tuple[int, Token]]:
    """Indices and tokens that are neither whitespace nor comments."""
    return ((i, t) for i, t in enumerate(toks) if t.kind not in ("ws", "c"))


@dataclass(frozen=True)
class Constraint:
    """One compiled SPARQL constraint of a shape: what pySHACL's results for it are made of."""

    shape: URIRef
    severity: URIRef
    message: str
    text: str


def _prefixes(shapes: Graph, node: Node) -> dict[str, str]:
    """The prefixes pySHACL prepends to a query: the ``sh:declare`` s of each ``sh:prefixes`` value."""
    out: dict[str, str] = {}
    for holder in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is None or ns is None or out.get(str(prefix), str(ns)) != str(ns):
                raise Unsupported(f"prefix declaration {decl}")
            out[str(prefix)] = str(ns)
    return out


def _with_prefixes(prefixes: dict[str, str], select: str) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + "\n" + select


def _iri_of(tok: Token, prefixes: dict[str, str]) -> str | None:
    if tok.kind == "iri":
        return tok.text[1:-1]
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


@dataclass(frozen=True)
class Function:
    """A SHACL function whose body is ``SELECT ?out WHERE { BIND(e1 AS ?v1) … }``: its result as one expression."""

    iri: str
    params: tuple[str, ...]
    #: token lists of each BIND, in order: (expression, variable name)
    binds: tuple[tuple[tuple[Token, ...], str], ...]
    out: str

    def expression(self, args: list[list[Token]]) -> list[Token]:
        """The call with ``args`` as one expression; an argument that is an error (unbound) makes it an error,
        as pySHACL's call is (``sameTerm(a, a)`` is an error exactly when ``a`` is)."""
        if len(args) != len(self.params):
            raise Unsupported(f"{self.iri} called with {len(args)} arguments")
        env: dict[str, list[Token]] = {p: _primary(a) for p, a in zip(self.params, args, strict=True)}
        for expr, var in self.binds:
            body: list[Token] = []
            for t in expr:
                if t.kind == "var":
                    if t.text[1:] not in env:
                        raise Unsupported(f"{self.iri}: variable {t.text} is never bound")
                    body += env[t.text[1:]]
                else:
                    body.append(t)
            env[var] = _primary(body)
        if self.out not in env:
            raise Unsupported(f"{self.iri} never binds {self.out}")
        guarded = [_text(env[p]) for p, a in zip(self.params, args, strict=True)
                   if any(t.kind == "var" for t in a)]
        if not guarded:
            return env[self.out]
        guard = " && ".join(f"sameTerm({a}, {a})" for a in guarded)
        return [Token("p", f"IF({guard}, "), *env[self.out], Token("p", ", 0)")]


def _text(toks: list[Token]) -> str:
    return "".join(t.text for t in toks)


def _primary(toks: list[Token]) -> list[Token]:
    """``toks`` as an expression that may stand anywhere a term may: as it is when it is one term or one call
    (parentheses cost rdflib's parser ~10 ms a level), else in parentheses."""
    code = [t for _, t in _code(toks)]
    if len(code) == 1:
        return code
    if len(code) > 2 and code[0].kind in ("word", "pname", "iri") and code[1].text == "(" and code[-1].text == ")":
        level = 0
        for i, t in enumerate(code[1:], start=1):
            level += {"(": 1, ")": -1}.get(t.text, 0)
            if level == 0:
                if i == len(code) - 1:
                    return toks
                break
    return [Token("p", "("), *toks, Token("p", ")")]


def env_args(args: list[list[Token]]) -> list[list[Token]]:
    return [a for a in args if any(t.kind not in ("ws", "c") for t in a)]


def function(shapes: Graph, node: URIRef) -> Function:
    if shapes.value(node, SH.ask) is not None or len(list(shapes.objects(node, SH.select))) != 1:
        raise Unsupported(f"function {node}: only one sh:select is translated")
    params = []
    for p in shapes.objects(node, SH.parameter):
        path = shapes.value(p, SH.path)
        if not isinstance(path, URIRef) or shapes.value(p, SH.optional) is not None:
            raise Unsupported(f"function {node}: parameter {p}")
        order = shapes.value(p, SH.order)
        params.append((order, re.split(r"[#/]", str(path))[-1]))
    # pySHACL's order: sh:order when every parameter has one, else the local names of the paths
    params.sort(key=(lambda x: x[0].toPython()) if all(o is not None for o, _ in params) else (lambda x: x[1]))
    toks = [t for _, t in _code(tokens(str(shapes.value(node, SH.select))))]
    words = [t.text.upper() for t in toks]
    if words[:1] != ["SELECT"] or len(toks) < 5 or toks[1].kind != "var" or words[2] != "WHERE" or toks[3].text != "{" \
            or toks[-1].text != "}":
        raise Unsupported(f"function {node}: the body is not SELECT ?x WHERE {{ BIND(…) … }}")
    binds: list[tuple[tuple[Token, ...], str]] = []
    i, body = 0, toks[4:-1]
    while i < len(body):
        if body[i].text == ".":
            i += 1
            continue
        if body[i].text.upper() != "BIND" or i + 1 >= len(body) or body[i + 1].text != "(":
            raise Unsupported(f"function {node}: only BINDs are translated")
        depth, j = 0, i + 1
        while j < len(body):
            depth += {"(": 1, ")": -1}.get(body[j].text, 0)
            if depth == 0:
                break
            j += 1
        inner = body[i + 2:j]  # expr AS ?v
        if len(inner) < 3 or inner[-2].text.upper() != "AS" or inner[-1].kind != "var":
            raise Unsupported(f"function {node}: BIND without AS ?var")
        if any(t.text.upper() in ("BOUND", "EXISTS") for t in inner):
            raise Unsupported(f"function {node}: BOUND and EXISTS do not carry over to an expression")
        binds.append((tuple(inner[:-2]), inner[-1].text[1:]))
        i = j + 1
    return Function(str(node), tuple(name for _, name in params), tuple(binds), toks[1].text[1:])


def inline(toks: list[Token], functions: dict[str, Function], prefixes: dict[str, str], depth: int = 0) -> list[Token]:
    """``toks`` with every call of a SHACL function replaced by its expression (arguments inlined first)."""
    if depth > 8:
        raise Unsupported("SHACL functions nested more than 8 deep")
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        fn = functions.get(_iri_of(t, prefixes) or "") if t.kind in ("iri", "pname") else None
        j = i + 1
        while fn is not None and j < len(toks) and toks[j].kind in ("ws", "c"):
            j += 1
        if fn is None or j >= len(toks) or toks[j].text != "(":
            out.append(t)
            i += 1
            continue
        args: list[list[Token]] = [[]]
        level, k = 0, j
        while k < len(toks):
            x = toks[k]
            if x.text == "(":
                level += 1
                if level == 1:
                    k += 1
                    continue
            elif x.text == ")":
                level -= 1
                if level == 0:
                    break
            elif x.text == "," and level == 1:
                args.append([])
                k += 1
                continue
            args[-1].append(x)
            k += 1
        if k >= len(toks):
            raise Unsupported(f"unbalanced call of {fn.iri}")
        inlined = [inline(a, functions, prefixes, depth + 1) for a in env_args(args)]
        out += _primary(inline(fn.expression(inlined), functions, prefixes, depth + 1))
        i = k + 1
    return out


def _join_targets(toks: list[Token], targets: list[URIRef]) -> list[Token]:
    """``toks`` with the target join at the start of every group pattern but EXISTS ones."""
    # Each class as a constant: Oxigraph then walks the path from the class (a VALUES-bound variable made it
    # enumerate every typed node's classes first: 27 s instead of 0.1 s for one query at 10^6 triples).
    patterns = [f"?this {_TYPE_PATH} <{t}>" for t in targets]
    join = Token("p", f" {patterns[0]} . " if len(patterns) == 1 else
                 " { " + " } UNION { ".join(patterns) + " } ")
    out: list[Token] = []
    previous = ""
    for t in toks:
        out.append(t)
        if t.kind in ("ws", "c"):
            continue
        if t.text == "{" and previous != "EXISTS":
            out.append(join)
        previous = t.text.upper()
    return out


_CLAUSES = {"FILTER", "OPTIONAL", "BIND", "MINUS", "VALUES", "GRAPH", "SERVICE", "UNION", "NOT", "EXISTS", "SELECT"}
_CONSTANT_WORDS = {"true", "false"}


class _Opaque(Exception):
    """Text the planner workaround does not analyse: the query is left as it is."""


@dataclass
class _Group:
    """What :func:`not_exists_as_minus` needs to know of one group pattern."""

    #: variables bound in every solution of the group (its triples, constant BINDs, every branch of a UNION)
    certain: set[str] = field(default_factory=set)
    #: variables that may be bound in a solution of the group (SPARQL's in-scope variables)
    scope: set[str] = field(default_factory=set)
    #: every variable written anywhere inside, filters and nested groups included
    mentioned: set[str] = field(default_factory=set)
    #: the FILTER NOT EXISTS of the group: index of its FILTER token, and its pattern
    not_exists: list[tuple[int, _Group]] = field(default_factory=list)
    #: plain sub-groups and UNION branches: their filters see their own solutions only
    children: list[_Group] = field(default_factory=list)


def _close(code: list[tuple[int, Token]], i: int) -> int:
    """The index after the parenthesis that closes the one at ``code[i]``."""
    if i >= len(code) or code[i][1].text != "(":
        raise _Opaque("expected (")
    depth = 0
    for j in range(i, len(code)):
        depth += {"(": 1, ")": -1}.get(code[j][1].text, 0)
        if depth == 0:
            return j + 1
    raise _Opaque("unbalanced (")


def _vars(code: list[tuple[int, Token]]) -> set[str]:
    return {t.text[1:] for _, t in code if t.kind == "var"}


def _word(code: list[tuple[int, Token]], i: int) -> str:
    return code[i][1].text.upper() if i < len(code) and code[i][1].kind == "word" else ""


def _group(code: list[tuple[int, Token]], i: int) -> tuple[_Group, int]:
    """The group pattern whose ``{`` is ``code[i]``, and the index after its ``}``."""
    if i >= len(code) or code[i][1].text != "{":
        raise _Opaque("expected {")
    g, i = _Group(), i + 1
    while i < len(code):
        t, word = code[i][1], _word(code, i)
        if t.text == "}":
            return g, i + 1
        if t.text == ".":
            i += 1
        elif t.text == "{":  # a group, or a UNION of groups
            branches = []
            while True:
                sub, i = _group(code, i)
                branches.append(sub)
                if _word(code, i) != "UNION":
                    break
                i += 1
            g.children += branches
            g.certain |= set.intersection(*(b.certain for b in branches))
            for b in branches:
                g.scope |= b.scope
                g.mentioned |= b.mentioned
        elif word == "OPTIONAL":  # in scope, never certain; its filters also see the left side: left alone
            sub, i = _group(code, i + 1)
            g.scope |= sub.scope
            g.mentioned |= sub.mentioned
        elif word == "FILTER" and _word(code, i + 1) == "NOT" and _word(code, i + 2) == "EXISTS":
            sub, j = _group(code, i + 3)
            g.not_exists.append((i, sub))
            g.mentioned |= sub.mentioned
            i = j
        elif word == "FILTER" and _word(code, i + 1) == "EXISTS":
            sub, i = _group(code, i + 2)
            g.mentioned |= sub.mentioned
        elif word == "FILTER":  # FILTER(expression) or FILTER name(arguments)
            j = i + 1 if code[min(i + 1, len(code) - 1)][1].text == "(" else i + 2
            j = _close(code, j)
            g.mentioned |= _vars(code[i:j])
            i = j
        elif word == "BIND":
            j = _close(code, i + 1)
            inner = code[i + 2:j - 1]
            if len(inner) < 3 or _word(inner, len(inner) - 2) != "AS" or inner[-1][1].kind != "var":
                raise _Opaque("BIND without AS ?var")
            var = inner[-1][1].text[1:]
            g.scope.add(var)
            g.mentioned |= _vars(inner)
            first = inner[0][1]
            if len(inner) == 3 and (first.kind in ("iri", "pname", "s") or first.text in _CONSTANT_WORDS):
                g.certain.add(var)  # a constant cannot fail to bind
            i = j
        elif word in _CLAUSES:
            raise _Opaque(word)
        else:  # a block of triples (paths, lists and [] included): every variable in it is bound
            depth = 0
            while i < len(code):
                t = code[i][1]
                if depth == 0 and (t.text in "{}" or _word(code, i) in _CLAUSES):
                    break
                depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(t.text, 0)
                if t.kind == "var":
                    g.certain.add(t.text[1:])
                    g.scope.add(t.text[1:])
                    g.mentioned.add(t.text[1:])
                i += 1
    raise _Opaque("unbalanced {")


def _minus_marks(g: _Group, out: list[int]) -> None:
    for at, sub in g.not_exists:
        shared = sub.mentioned & g.scope
        if shared and shared <= g.certain and shared <= sub.certain:
            out.append(at)
            _minus_marks(sub, out)  # now evaluated on its own: its filters see its solutions only
        # a NOT EXISTS that stays one sees the outer solution: nothing inside it is rewritten
    for child in g.children:
        _minus_marks(child, out)


def not_exists_as_minus(text: str) -> str:
    """``text`` with each ``FILTER NOT EXISTS { P }`` that means the same as ``MINUS { P }`` written so.

    Oxigraph evaluates a NOT EXISTS once per outer solution with a plan made without the outer bindings
    (``ReferralPathsShape``: every ``lg:country`` triple for each country, 15 s at 10^6 triples), and MINUS
    once for all (0.1 s). The two agree when the variables P shares with the group around the filter (its
    in-scope ones) are at least one, and are bound in every solution of both the group and P: then a solution
    has a match of P after substitution exactly when P has a compatible solution, which is what MINUS removes.
    Filters inside an OPTIONAL (they also see the left side) and inside a NOT EXISTS that stays one are left
    as they are, and so is any query this analysis does not follow.
    """
    toks = tokens(text)
    code = list(_code(toks))
    start = next((k for k, (_, t) in enumerate(code) if t.text == "{"), None)
    if start is None:
        return text
    try:
        top, end = _group(code, start)
    except _Opaque:
        return text
    if end != len(code):
        return text
    marks: list[int] = []
    _minus_marks(top, marks)
    for at in marks:
        toks[code[at][0]] = Token("word", "MINUS")
        toks[code[at + 1][0]] = toks[code[at + 2][0]] = Token("ws", "")
    return "".join(t.text for t in toks)


def _check_select(toks: list[Token], where: str) -> None:
    code = [t for _, t in _code(toks)]
    words = [t.text.upper() for t in code if t.kind == "word"]
    if words.count("SELECT") != 1 or {"ASK", "CONSTRUCT", "DESCRIBE"}.intersection(words):
        raise Unsupported(f"{where}: one SELECT (no sub-queries, no other forms)")
    if bad := _UNSUPPORTED_WORDS.intersection(words):
        raise Unsupported(f"{where}: {', '.join(sorted(bad))}")
    head = code[:next(i for i, t in enumerate(code) if t.text == "{")]
    names = {t.text[1:] for t in head if t.kind == "var"}
    if "this" not in names or "failure" in names or any(t.text == "*" for t in head) \
            or any(t.kind == "var" and t.text[1:] in ("currentShape", "shapesGraph", "PATH")
                   for t in code):
        raise Unsupported(f"{where}: must project $this, and not ?failure or *")


def compile_shapes(shapes: Graph) -> list[Constraint] | None:
    """Every SPARQL constraint of ``shapes`` as one query for all focus nodes, or None when the shapes use
    SHACL this module does not translate (then pySHACL must run them)."""
    try:
        return _compile(shapes)
    except Unsupported:
        return None


def _compile(shapes: Graph) -> list[Constraint]:
    for _, p, o in shapes:
        if str(p).startswith(str(SH)) and p not in _SUPPORTED:
            raise Unsupported(f"{p}")
        if p == RDF.type and str(o).startswith(str(SH)) and o not in _SUPPORTED_TYPES:
            raise Unsupported(f"{o}")
    functions = {str(f): function(shapes, f) for f in shapes.subjects(RDF.type, SH.SPARQLFunction)
                 if isinstance(f, URIRef)}
    out = []
    shape_nodes = set(shapes.subjects(SH.sparql, None)) | set(shapes.subjects(SH.targetClass, None)) \
        | set(shapes.subjects(RDF.type, SH.NodeShape))
    for shape in sorted(shape_nodes, key=str):
        if not isinstance(shape, URIRef) or (shape, RDF.type, SH.NodeShape) not in shapes:
            raise Unsupported(f"shape {shape}")
        targets = sorted(shapes.objects(shape, SH.targetClass), key=str)
        if any(not isinstance(t, URIRef) or _NOT_IRI.search(str(t)) for t in targets) \
                or shapes.value(shape, SH.message) is not None:
            raise Unsupported(f"shape {shape}: targets or shape-level messages")
        severity = shapes.value(shape, SH.severity) or SH.Violation
        if not targets:
            continue  # no focus nodes: pySHACL reports nothing
        for c in shapes.objects(shape, SH.sparql):
            messages = list(shapes.objects(c, SH.message))
            selects = list(shapes.objects(c, SH.select))
            if len(messages) != 1 or not isinstance(messages[0], Literal) or len(selects) != 1:
                raise Unsupported(f"shape {shape}: a constraint needs one message and one select")
            prefixes = _prefixes(shapes, c)
            text = _with_prefixes(prefixes, str(selects[0]))
            toks = tokens(text)
            _check_select(toks, str(shape))
            text = "".join(t.text for t in _join_targets(inline(toks, functions, prefixes), targets))
            text = not_exists_as_minus(text)
            out.append(Constraint(shape, severity, str(messages[0].value), text))  # type: ignore[arg-type]
    return out


@dataclass(frozen=True)
class Violation:
    """One result as pySHACL reports it: the shape, the focus node, the severity and the message."""

    shape: URIRef
    focus: Node
    severity: URIRef
    message: str


def format_message(message: str, bound: dict[str, Node]) -> str:
    """The message with ``{?var}`` / ``{$var}`` replaced as pySHACL does (``re.sub`` with ``str(value)``)."""
    for var, val in bound.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


@dataclass(frozen=True)
class ConstraintQuery:
    """One compiled constraint as a job for the bounded store's runner: a sandboxed thread or a killable worker,
    under the query time bound, answers bounded in bytes.

    The text is prechecked like every query (size, nesting, SERVICE and LOAD refused) but not parsed a second
    time with rdflib's grammar: compiled from the project's own shapes file, not from a request, and that
    parse took 1.2 s for the 25 benchmark constraints (the expressions of inlined functions parse slowly),
    five times what running them takes.
    """

    text: str
    max_bytes: int | None = None

    def __call__(self, store: Store) -> Answer:
        return store.query(self.text, max_rows=None, max_bytes=self.max_bytes)


#: Constraint queries in flight at once: the machine's two cores, and room left in the runner's queue for others.
IN_FLIGHT = 2


def _answers(store: Store, texts: list[str]) -> list[Answer]:
    submit = getattr(store, "submit", None)
    if submit is None:  # a bare backend (the tests' in-memory stores): nothing to run it on but itself
        return [store.query(t, max_rows=None) for t in texts]
    settings = store.settings  # type: ignore[attr-defined]
    jobs = [ConstraintQuery(precheck(t, max_chars=settings.max_query_chars).text, settings.max_answer_bytes)
            for t in texts]
    futures: list[Future[Answer]] = []
    for i, job in enumerate(jobs):
        if i >= IN_FLIGHT:
            futures[i - IN_FLIGHT].result()  # wait for a slot: the runner's queue is shared and bounded
        futures.append(submit(job))
    return [f.result() for f in futures]


def violations(store: Store, constraints: list[Constraint]) -> list[Violation]:
    """The results of every constraint over the store's union graph, as pySHACL reports them."""
    out: list[Violation] = []
    for c, answer in zip(constraints, _answers(store, [c.text for c in constraints]), strict=True):
        seen: set[tuple[Node, frozenset[tuple[str, Node]]]] = set()
        for row in answer.rows:
            solution = {v: t for v, t in zip(answer.variables, row, strict=True) if t is not None}
            this = solution.pop("this", None)
            if this is None:
                continue
            key = (this, frozenset(solution.items()))
            if key in seen:
                continue
            seen.add(key)
            path, value = solution.pop("path", None), solution.pop("value", None)
            bound = dict(solution)
            bound["this"] = this
            if path is not None:
                bound["path"] = path
            if value is not None:
                bound["value"] = value
            out.append(Violation(c.shape, this, c.severity, format_message(c.message, bound)))
    return out
