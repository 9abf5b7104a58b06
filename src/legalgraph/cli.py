"""The ``legalgraph`` command line. Exit codes: 0 success, 1 failure found (e.g. violations), 2 bad input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from . import __version__, queries
from .add import add
from .assess import assess
from .assess import render as render_assessment
from .config import StoreConfig, load_config, open_configured
from .entries import EntryError, read_entry
from .export import FORMATS, export
from .namespaces import ID
from .queries import QueryError
from .results import render as render_result
from .sparql import BindingError, uses_variable
from .stats import compute, render
from .store import Store, StoreError, graph_name, source_files
from .validate import render as render_report
from .validate import validate

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[None]:
    """Open the store lazily for the command and close it (releasing its lock) when the command ends."""
    args.store = None
    try:
        yield
    finally:
        if args.store is not None:
            args.store.close()


def _config(args: argparse.Namespace) -> StoreConfig:
    return load_config(args.store_location or args.data_dir, args.store_update, args.store_gsp)


def _store(args: argparse.Namespace) -> Store:
    if args.store is None:
        cfg = _config(args)
        args.store = open_configured(cfg)
        if cfg.remote and not args.store.named_graphs():
            raise StoreError(f"the {cfg.describe()} holds no legalgraph data yet: run "
                             f"`legalgraph load --store {cfg.url}` first")
    return args.store


def cmd_load(args: argparse.Namespace) -> int:
    cfg = _config(args)
    extra = [Path(f) for f in args.files]
    for f in extra:
        if not f.is_file():
            raise StoreError(f"{f}: no such file; give Turtle files to load besides ontology/ and data/")
    files = [*source_files(), *extra]
    named: dict[str, Path] = {}
    for f in files:
        g = str(graph_name(f))
        other = named.setdefault(g, f)
        if other.resolve() != f.resolve():
            raise StoreError(f"{f} and {other} would load into the same named graph {g}; rename one of them")
    if cfg.remote:
        store = args.store = open_configured(cfg)
        store.push(files)
        print(f"legalgraph: loaded {len(files)} file(s) into named graphs of the {cfg.describe()}; "
              f"it now holds {len(store)} triples", file=sys.stderr)
        return EXIT_OK
    store = args.store = open_configured(cfg, sync=False)
    if args.force:
        store.clear_sources()
    changed = store.sync(files)
    print(f"legalgraph: {len(changed)} of {len(files)} file(s) (re)loaded into the {cfg.describe()}; "
          f"it now holds {len(store)} triples", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    stats = compute(_store(args))
    print(json.dumps(asdict(stats), indent=2) if args.format == "json" else render(stats))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    data = export(_store(args), args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _read_entries(paths: list[str]) -> Graph:
    g = Graph()
    for p in paths:
        g += read_entry(Path(p))
    return g


def cmd_validate(args: argparse.Namespace) -> int:
    entry = _read_entries(args.files)
    report = validate(_store(args), entry)
    print(render_report(report, args.format))
    return EXIT_OK if report.conforms else EXIT_FAILED


def cmd_add(args: argparse.Namespace) -> int:
    entry = _read_entries(args.files)
    result = add(_store(args), entry, [Path(f).name for f in args.files], user=args.user)
    if result.entry is None:
        print(render_report(result.report, args.format))
        print("Nothing was added: fix the violations above and run the command again.", file=sys.stderr)
        return EXIT_FAILED
    if result.report.results:
        print(render_report(result.report, args.format))
    print(f"Added {result.triples} triples as {result.entry} (named graph {result.graph}).", file=sys.stderr)
    return EXIT_OK


def cmd_assess(args: argparse.Namespace) -> int:
    country = URIRef(f"{ID}country/{args.country.lower()}") if args.country else None
    store = _store(args)
    if country is not None and not store.query("ASK { ?c a lg:Country }", {"c": country}).boolean:
        names = [str(r[0]) for r in store.query(
            'SELECT ?l WHERE { ?c a lg:Country ; rdfs:label ?l FILTER(LANG(?l) = "en") } ORDER BY ?l').rows]
        print(f"legalgraph: unknown country {args.country!r}; choose one of {', '.join(names)}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    print(render_assessment(assess(store, country), args.format))
    return EXIT_OK


def _emit(text: str) -> None:
    """Write output with exactly one trailing newline (CSV and TSV already end with one)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param takes name=value, not {pair!r}")
        out[key.strip()] = val
    return out


def cmd_query(args: argparse.Namespace) -> int:
    if args.list or not args.name:
        for q in queries.library().values():
            params = "; ".join(p.describe() for p in q.params) or "no parameters"
            print(f"{q.name}\n    {q.title}\n    parameters: {params}")
        return EXIT_OK
    q = queries.get(args.name)
    store = _store(args)
    _emit(render_result(store, queries.run(store, q, _params(args.param)), args.format))
    return EXIT_OK


def cmd_sparql(args: argparse.Namespace) -> int:
    if args.file:
        text = Path(args.file).read_text(encoding="utf-8")
    elif args.query:
        text = args.query
    else:
        raise QueryError("give a query as an argument, or -f FILE.rq")
    bindings = {}
    if args.as_of is not None:
        if not uses_variable(text, "asOf"):
            raise QueryError("--as-of binds the variable ?asOf, which this query does not use; "
                             "compare dates with ?asOf, e.g. FILTER(YEAR(?from) <= ?asOf)")
        bindings["asOf"] = Literal(args.as_of, datatype=XSD.integer)
    store = _store(args)
    _emit(render_result(store, store.query(text, bindings), args.format))
    return EXIT_OK


def _network(args: argparse.Namespace):
    from . import analysis

    full = analysis.project(_store(args))
    if getattr(args, "view", None) == "standards":
        analysis.add_benchmark_edges(full, _store(args))
    return analysis, full


def cmd_graph(args: argparse.Namespace) -> int:
    analysis, full = _network(args)
    try:
        if args.graph_command == "path":
            steps = analysis.path(full, args.source, args.target)
            if not steps:
                print(f"no path between {args.source} and {args.target}")
                return EXIT_FAILED
            for a, pred, b in steps:
                print(f"{full.nodes[a]['label']}  --{pred}-->  {full.nodes[b]['label']}")
            return EXIT_OK
        g = analysis.ego(full, args.ego, args.radius) if getattr(args, "ego", None) else analysis.view(
            full, args.view, args.country)
        if args.graph_command == "export":
            suffix = f"-{args.country}" if args.country else ""
            out = Path(args.output or f"legalgraph-{args.view}{suffix}.{args.format}")
            analysis.export(g, args.format, out, title=f"legalgraph: {args.view} view"
                            + (f", {args.country}" if args.country else ""))
            print(f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", file=sys.stderr)
            return EXIT_OK
        print(f"{args.view} view{' of ' + args.country if args.country else ''}: "
              f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
        print("\nHubs (degree centrality):")
        for n, c in analysis.hubs(g):
            print(f"  {c:6.3f}  {full.nodes[n]['label']}")
        orphans = analysis.programmes_without_legal_basis(g)
        print(f"\nProgrammes that hang on no legal act ({len(orphans)}):")
        for n in orphans:
            print(f"  {full.nodes[n]['label']}")
        if not args.country:
            print("\nPer country:")
            for c in ("kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"):
                sm = analysis.summary(full, c)
                print(f"  {c:<13} {sm.nodes:>4} nodes {sm.edges:>4} edges  density {sm.density:.3f}  "
                      + ", ".join(f"{k} {v}" for k, v in sm.counts.items()))
        return EXIT_OK
    except ValueError as exc:
        print(f"legalgraph: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RuntimeError as exc:
        print(f"legalgraph: {exc}", file=sys.stderr)
        return EXIT_FAILED


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api import create_app
    from .api.settings import Settings

    store = _store(args)
    print(f"legalgraph: {len(store)} triples in the {_config(args).describe()}; "
          f"serving http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    uvicorn.run(create_app(Settings(), store), host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="legalgraph", description=__doc__)
    p.add_argument("--version", action="version", version=f"legalgraph {__version__}")
    p.add_argument("--store", dest="store_location", metavar="URL|DIR",
                   help="the store: a SPARQL endpoint URL (remote server) or a directory (embedded store). "
                   "Default: $LEGALGRAPH_STORE, else [store] url in legalgraph.toml, else the embedded store "
                   "in $LEGALGRAPH_HOME or ./.legalgraph")
    p.add_argument("--store-update", metavar="URL", help="SPARQL Update endpoint of a remote store "
                   "(derived for Oxigraph's /query URL; $LEGALGRAPH_STORE_UPDATE)")
    p.add_argument("--store-gsp", metavar="URL", help="Graph Store Protocol endpoint of a remote store "
                   "(derived for Oxigraph's /query URL; $LEGALGRAPH_STORE_GSP)")
    p.add_argument("--data-dir", help=argparse.SUPPRESS)  # the older spelling of --store DIR
    sub = p.add_subparsers(dest="command", required=True)

    ld = sub.add_parser("load", help="load ontology/ and data/ (or given files) into the store",
                        description="Embedded store: (re)load changed source files now. Remote store: replace "
                        "each file's named graph on the server (Graph Store Protocol PUT) and drop graphs of "
                        "source files that are gone; graphs added with `legalgraph add` are kept.")
    ld.add_argument("files", nargs="*", metavar="FILE", help="extra Turtle files (default: ontology/ and data/)")
    ld.add_argument("--force", action="store_true", help="embedded store: rebuild even unchanged graphs")
    ld.set_defaults(func=cmd_load)

    s = sub.add_parser("stats", help="counts per class and per country")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_stats)

    e = sub.add_parser("export", help="write the whole graph in an RDF format")
    e.add_argument("--format", choices=sorted(FORMATS), default="ttl")
    e.add_argument("-o", "--output", help="file to write (default: standard output)")
    e.set_defaults(func=cmd_export)

    for name, func, text in [("validate", cmd_validate, "check entries against the shapes, changing nothing"),
                             ("add", cmd_add, "validate entries, then add them if they have no violation")]:
        c = sub.add_parser(name, help=text, description=text + ". Exit codes: 0 conforms (or added), "
                           "1 violations (nothing added), 2 bad input (unreadable or unparsable file).")
        c.add_argument("files", nargs="+", metavar="FILE", help="Turtle, TriG, JSON-LD or N-Triples file")
        c.add_argument("--format", choices=["human", "json", "turtle"], default="human")
        if name == "add":
            c.add_argument("--user", help="who adds the entry (default: the login name)")
        c.set_defaults(func=func)

    a = sub.add_parser("assess", help="which benchmarks each law, regime, programme and country meets")
    a.add_argument("--country", help="only this country (e.g. kyrgyzstan)")
    a.add_argument("--format", choices=["human", "json", "csv"], default="human")
    a.set_defaults(func=cmd_assess)

    q = sub.add_parser("query", help="run a canned query from queries/ (--list to see them)")
    q.add_argument("name", nargs="?", help="query name, e.g. protection-orders")
    q.add_argument("--list", action="store_true", help="list the queries with their parameters")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    q.set_defaults(func=cmd_query)

    sp = sub.add_parser("sparql", help="run your own SPARQL query (read-only)")
    sp.add_argument("query", nargs="?", help="the query text")
    sp.add_argument("-f", "--file", help="read the query from a .rq file")
    sp.add_argument("--as-of", type=int, metavar="YEAR", help="bind ?asOf to this year")
    sp.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    sp.set_defaults(func=cmd_sparql)

    gr = sub.add_parser("graph", help="network analysis and exports (networkx)")
    gsub = gr.add_subparsers(dest="graph_command", required=True)
    views = ["all", "legal", "institutional", "standards"]
    st = gsub.add_parser("stats", help="size, hubs, programmes without legal basis, per-country metrics")
    st.add_argument("--view", choices=views, default="all")
    st.add_argument("--country", help="e.g. kyrgyzstan")
    pa = gsub.add_parser("path", help="shortest path between two entities, e.g. act/kg-law-63-2017 org/kg-police")
    pa.add_argument("source")
    pa.add_argument("target")
    ex = gsub.add_parser("export", help="write a view for Gephi, Cytoscape, Graphviz or slides")
    ex.add_argument("--view", choices=views, default="all")
    ex.add_argument("--country")
    ex.add_argument("--ego", help="an entity to centre on instead of a view")
    ex.add_argument("--radius", type=int, default=1)
    ex.add_argument("--format", choices=["graphml", "gexf", "cyjs", "dot", "svg", "png"], default="graphml")
    ex.add_argument("-o", "--output")
    gr.set_defaults(func=cmd_graph)

    v = sub.add_parser("serve", help="serve the graph on localhost")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with _opened(args):
            return args.func(args)
    except (StoreError, EntryError, QueryError, BindingError) as exc:
        print(f"legalgraph: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (`legalgraph stats | head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (keeps the interpreter's final flush quiet)
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
