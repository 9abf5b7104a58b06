"""The ``legalgraph`` command line: parse arguments, call a service, print its answer.

Exit codes: 0 success, 1 a check found problems (an entry with violations), 2 bad input or a refused, failed
or unavailable operation (:mod:`legalgraph.errors`). Every error is one line on standard error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from . import __version__
from .errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, BadInput, LegalgraphError, NotFound, refuse_control
from .files import read_bounded
from .formats import render_answer
from .namespaces import short
from .services import asof, benchmarks, catalogue, dump, entities, history, network, stats
from .services import entries as entry_service
from .services import search as search_service
from .services.validation import render as render_report
from .services.validation import validate
from .settings import Settings, load_store_config
from .store import BoundedStore, graph_name, open_store, source_files
from .store.binding import uses_variable

COUNTRY_HELP = "a country, e.g. kyrgyzstan"


def _settings(args: argparse.Namespace) -> Settings:
    if getattr(args, "settings", None) is None:
        cfg = load_store_config(args.store_location or args.data_dir, args.store_update, args.store_gsp)
        args.settings = Settings.load(cfg)
    return args.settings


def _store(args: argparse.Namespace, *, writer: bool = False) -> BoundedStore:
    """The configured store, opened once per command. Readers may share an embedded store a server holds."""
    if args.opened is None:
        settings = _settings(args)
        store = open_store(settings, writer=writer)
        note = getattr(store, "note", None)
        if note:
            print(f"legalgraph: note: {note}", file=sys.stderr)
        if settings.store.remote and not store.named_graphs():
            store.close()
            from .errors import StoreUnavailable

            raise StoreUnavailable(f"the {settings.store.describe()} holds no legalgraph data yet",
                                   hint=f"run `legalgraph --store {settings.store.url} load` first")
        args.opened = store
    return args.opened


def cmd_load(args: argparse.Namespace) -> int:
    cfg = _settings(args).store
    extra = [Path(f) for f in args.files]
    for f in extra:
        if not f.exists():
            raise NotFound("no such file", where=str(f), hint="give Turtle files to load besides ontology/ and data/")
        if not f.is_file():  # a directory, a FIFO or a device would never end or not parse
            raise BadInput("not a regular file", where=str(f), hint="give Turtle files to load besides ontology/ "
                           "and data/")
    files = [*source_files(), *extra]
    named: dict[str, Path] = {}
    for f in files:
        g = str(graph_name(f))
        other = named.setdefault(g, f)
        if other.resolve() != f.resolve():
            raise BadInput(f"{f} and {other} would load into the same named graph {g}", hint="rename one of them")
    store = args.opened = open_store(_settings(args), load=False, writer=True)
    changed = store.load(files, force=args.force)
    for g in getattr(store.backend, "repaired", []):
        print(f"legalgraph: {g} was left incomplete by a load that did not finish; it was removed", file=sys.stderr)
    print(f"legalgraph: {len(changed)} of {len(files)} file(s) (re)loaded into the {cfg.describe()}; "
          f"it now holds {store.triples()} triples", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    result = stats.compute(_store(args))
    print(json.dumps(asdict(result), indent=2) if args.format == "json" else stats.render(result))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    data = dump.export(_store(args), args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    entry = entry_service.read_entries([Path(f) for f in args.files])
    report = validate(_store(args), entry)
    print(render_report(report, args.format))
    return EXIT_OK if report.conforms else EXIT_FAILED


def cmd_add(args: argparse.Namespace) -> int:
    # the file names and the user are stored with the entry and printed by `entries`, one per line
    for f in args.files:
        refuse_control(f, "the file name", "FILE")
    if args.user is not None:
        refuse_control(args.user, "the user name", "--user")
    entry = entry_service.read_entries([Path(f) for f in args.files])
    result = entry_service.add(_store(args, writer=True), entry, [Path(f).name for f in args.files], user=args.user)
    if result.duplicate_of is not None:
        print(f"Nothing was added: the entry states exactly what {result.duplicate_of} already added.",
              file=sys.stderr)
        return EXIT_OK
    if result.entry is None:
        print(render_report(result.report, args.format))
        print("Nothing was added: fix the violations above and run the command again.", file=sys.stderr)
        return EXIT_FAILED
    if result.report.results:
        print(render_report(result.report, args.format))
    print(f"Added {result.triples} triples as {result.entry} (named graph {result.graph}).", file=sys.stderr)
    return EXIT_OK


def cmd_assess(args: argparse.Namespace) -> int:
    store = _store(args)
    country = entities.country(store, args.country)
    rows = benchmarks.assess(store, country, as_of=args.as_of, report_only=args.report_only)
    print(benchmarks.render(rows, args.format))
    return EXIT_OK


def cmd_entries(args: argparse.Namespace) -> int:
    print(history.render_entries(history.list_entries(_store(args)), args.format))
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    if args.user is not None:
        refuse_control(args.user, "the user name", "--user")
    info = history.remove(_store(args, writer=True), args.entry, args.user or getpass.getuser())
    print(f"Removed entry {info.id} ({info.triples} triples from {', '.join(info.files)}); "
          f"the retraction is recorded in the history of {', '.join(info.entities)}.", file=sys.stderr)
    return EXIT_OK


def cmd_brief(args: argparse.Namespace) -> int:
    from .services import brief

    store = _store(args)
    b = brief.brief(store, args.country, args.as_of)
    if not args.output:
        _emit(brief.render_text(b))
        return EXIT_OK
    out = Path(args.output)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "html", "json"):
        raise BadInput(f"-o {args.output}: name a .pdf, .html or .json file", valid=["pdf", "html", "json"])
    from .api import printing
    from .store import data_version

    if kind == "json":
        doc = {**b.to_json(), "dataVersion": data_version()}
        out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif kind == "html":
        out.write_text(printing.html(b, data_version()), encoding="utf-8")
    else:
        out.write_bytes(printing.pdf(b, data_version()))
    print(f"Wrote the {b.label} brief (as of {b.as_of}) to {out}.", file=sys.stderr)
    return EXIT_OK


def _emit(text: str) -> None:
    """Write output with exactly one trailing newline (CSV and TSV already end with one)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key:
            raise BadInput(f"--param takes name=value, not {pair!r}")
        out[key.strip()] = val
    return out


def _names(store: BoundedStore, answer) -> dict:
    return entities.labels(store, [t for row in answer.rows for t in row]) if answer.kind == "select" else {}


def cmd_query(args: argparse.Namespace) -> int:
    if args.list or not args.name:
        for q in catalogue.library().values():
            params = "; ".join(p.describe() for p in q.params) or "no parameters"
            print(f"{q.name}\n    {q.title}\n    parameters: {params}")
        return EXIT_OK
    q = catalogue.get(args.name)
    store = _store(args)
    if args.report_only:
        store = asof.report_view(store)  # the report's facts alone, as if no entry had been added
    answer = catalogue.run(store, q, _params(args.param))
    _emit(render_answer(answer, args.format, _names(store, answer), titles=q.columns))
    return EXIT_OK


def cmd_sparql(args: argparse.Namespace) -> int:
    if args.file:
        limit = _settings(args).max_query_chars * 4  # UTF-8: at most four bytes a character
        raw = read_bounded(Path(args.file), limit, "query file", hint="a query file holds one SPARQL query")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(f"cannot read the query: {exc}", where=args.file, hint="save it as UTF-8") from exc
    elif args.query:
        text = args.query
    else:
        raise BadInput("give a query as an argument, or -f FILE.rq")
    bindings = {}
    if args.as_of is not None:
        if not uses_variable(text, "asOf"):
            raise BadInput("--as-of binds the variable ?asOf, which this query does not use",
                           hint="compare dates with ?asOf, e.g. FILTER(YEAR(?from) <= ?asOf)")
        bindings["asOf"] = Literal(args.as_of, datatype=XSD.integer)
    store = _store(args)
    answer = store.query(text, bindings)
    _emit(render_answer(answer, args.format, _names(store, answer)))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    search_service.check_limit(args.limit, "--limit")
    store = _store(args)
    results = search_service.search(store, args.text, types=args.type, country=args.country, lang=args.lang,
                                    limit=args.limit)
    if args.format == "json":
        print(json.dumps(search_service.twin(store, results, types=args.type, country=args.country, lang=args.lang),
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    names = dict(entities.countries(store))
    print(f"{results.total} result{'s' if results.total != 1 else ''} for {args.text!r}"
          + (f" (the best {len(results.hits)} shown)" if len(results.hits) < results.total else ""))
    if results.suggestions:
        print("Did you mean: " + ", ".join(results.suggestions) + "?")
    elif not results.total:
        print("Nothing found: try fewer words, another spelling, or the other language (English or Russian).")
    for type_name, hits in results.by_type().items():
        print(f"\n{type_name}")
        for h in hits:
            country = names.get(str(h.country).rsplit("/", 1)[-1], "") if h.country else "regional/international"
            print(f"  {h.label}  ({short(h.entity)}; {country})")
            print(f"      {h.marked(open='[', close=']')}")
    if results.total:
        print("\nBy type: " + ", ".join(f"{t} {n}" for t, n in results.type_facets.items()))
        print("By country: " + ", ".join(f"{str(c).rsplit('/', 1)[-1] if c else 'none'} {n}"
                                          for c, n in results.country_facets.items()))
    return EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.graph_command == "path":
        full = network.projection(store)
        steps = network.path(full, args.source, args.target)
        if steps is None:
            print(f"no path between {args.source} and {args.target}")
            return EXIT_FAILED
        if not steps:  # from an entity to itself: the entity alone
            print(full.nodes[short(args.source)]["label"])
            return EXIT_OK
        for a, pred, b in steps:
            print(f"{full.nodes[a]['label']}  --{pred}-->  {full.nodes[b]['label']}")
        return EXIT_OK
    g = network.select(store, args.view, args.country, getattr(args, "ego", None), getattr(args, "radius", 1))
    country = entities.country(store, args.country)
    if args.graph_command == "export":
        suffix = f"-{country}" if country else ""
        out = Path(args.output or f"legalgraph-{args.view}{suffix}.{args.format}")
        network.export(g, args.format, out, title=f"legalgraph: {args.view} view" + (f", {country}" if country else ""),
                       timeout=_settings(args).export_timeout)
        print(f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", file=sys.stderr)
        return EXIT_OK
    print(f"{args.view} view{' of ' + country if country else ''}: "
          f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    print("\nHubs (degree centrality):")
    for n, c in network.hubs(g):
        print(f"  {c:6.3f}  {g.nodes[n]['label']}")
    orphans = network.programmes_without_legal_basis(g)
    print(f"\nProgrammes that hang on no legal act ({len(orphans)}):")
    for n in orphans:
        print(f"  {g.nodes[n]['label']}")
    if not country:
        print("\nPer country:")
        full = network.projection(store, args.view)
        for c, _ in entities.countries(store):
            sm = network.summary(full, c)
            print(f"  {c:<13} {sm.nodes:>4} nodes {sm.edges:>4} edges  density {sm.density:.3f}  "
                  + ", ".join(f"{k} {v}" for k, v in sm.counts.items()))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api import create_app

    settings = _settings(args)
    app = create_app(settings, warm_up=True)
    print(f"legalgraph: serving the {settings.store.describe()} on http://{args.host}:{args.port}/ "
          "(Ctrl-C to stop)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _year(text: str) -> int:
    """The type of ``--as-of``: the one year rule of every surface (exit 2 with its message)."""
    try:
        return catalogue.parse_year(text, "--as-of")
    except BadInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="legalgraph", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"legalgraph {__version__}")
    p.add_argument("--store", dest="store_location", metavar="URL|DIR",
                   help="the store: a SPARQL endpoint URL (remote server) or a directory (embedded store). "
                   "Default: $LEGALGRAPH_STORE, else [store] url in legalgraph.toml, else the embedded store "
                   "in $LEGALGRAPH_HOME or ./.legalgraph")
    p.add_argument("--store-update", metavar="URL", help="SPARQL Update endpoint of a remote store "
                   "(derived for Oxigraph and Fuseki query URLs; $LEGALGRAPH_STORE_UPDATE)")
    p.add_argument("--store-gsp", metavar="URL", help="Graph Store Protocol endpoint of a remote store "
                   "(derived for Oxigraph and Fuseki query URLs; $LEGALGRAPH_STORE_GSP)")
    p.add_argument("--data-dir", help=argparse.SUPPRESS)  # the older spelling of --store DIR
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ld = sub.add_parser("load", help="load ontology/ and data/ (or given files) into the store",
                        description="Embedded store: (re)load changed source files now. Remote store: replace "
                        "each file's named graph on the server (Graph Store Protocol PUT) and drop graphs of "
                        "source files that are gone; graphs added with `legalgraph add` are kept.")
    ld.add_argument("files", nargs="*", metavar="FILE", help="extra Turtle files (default: ontology/ and data/)")
    ld.add_argument("--force", action="store_true", help="reload even unchanged files")
    ld.set_defaults(func=cmd_load)

    s = sub.add_parser("stats", help="counts per class and per country")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_stats)

    e = sub.add_parser("export", help="write the whole graph in an RDF format")
    e.add_argument("--format", choices=sorted(dump.DUMP_FORMATS), default="ttl")
    e.add_argument("-o", "--output", help="file to write (default: standard output)")
    e.set_defaults(func=cmd_export)

    for name, func, text in [("validate", cmd_validate, "check entries against the shapes, changing nothing"),
                             ("add", cmd_add, "validate entries, then add them if they have no violation")]:
        c = sub.add_parser(name, help=text, description=text + ". Exit codes: 0 conforms (or added), "
                           "1 violations (nothing added), 2 bad input (unreadable or unparsable file).")
        c.add_argument("files", nargs="+", metavar="FILE", help="Turtle, TriG, JSON-LD, N-Triples or YAML file")
        c.add_argument("--format", choices=["human", "json", "turtle"], default="human")
        if name == "add":
            c.add_argument("--user", help="who adds the entry (default: the login name)")
        c.set_defaults(func=func)

    a = sub.add_parser("assess", help="which benchmarks each law, regime, programme and country meets")
    a.add_argument("--country", help=COUNTRY_HELP)
    a.add_argument("--format", choices=["human", "json", "csv"], default="human")
    a.add_argument("--as-of", type=_year, metavar="YEAR",
                   help="only what holds in that year (not yet valid, ended and superseded facts left out)")
    a.add_argument("--report-only", action="store_true", help="leave out entities added by entries")
    a.set_defaults(func=cmd_assess)

    br = sub.add_parser("brief", help="a country brief: law, protection orders, programmes, agencies, "
                        "contradictions, recommendations")
    br.add_argument("country", help=COUNTRY_HELP)
    br.add_argument("--as-of", type=_year, default=2023, metavar="YEAR", help="the year the law and "
                    "criminalisation hold for (default 2023)")
    br.add_argument("-o", "--output", metavar="FILE", help="write FILE.pdf, FILE.html or FILE.json instead of "
                    "text on standard output")
    br.set_defaults(func=cmd_brief)

    en = sub.add_parser("entries", help="list the added entries (id, who, when, file, sources, entities)")
    en.add_argument("--format", choices=["text", "json"], default="text")
    en.set_defaults(func=cmd_entries)

    rm = sub.add_parser("remove", help="retract an added entry in one transaction (the retraction is recorded)")
    rm.add_argument("entry", metavar="ENTRY", help="an entry id as `legalgraph entries` lists it")
    rm.add_argument("--user", help="who removes the entry (default: the login name)")
    rm.set_defaults(func=cmd_remove)

    q = sub.add_parser("query", help="run a canned query from queries/ (--list to see them)")
    q.add_argument("name", nargs="?", help="query name, e.g. protection-orders")
    q.add_argument("--list", action="store_true", help="list the queries with their parameters")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    q.add_argument("--report-only", action="store_true", help="leave out rows whose fact an added entry brought")
    q.set_defaults(func=cmd_query)

    sp = sub.add_parser("sparql", help="run your own SPARQL query (read-only; SERVICE refused)")
    sp.add_argument("query", nargs="?", help="the query text")
    sp.add_argument("-f", "--file", help="read the query from a .rq file")
    sp.add_argument("--as-of", type=_year, metavar="YEAR", help="bind ?asOf to this year")
    sp.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    sp.set_defaults(func=cmd_sparql)

    se = sub.add_parser("search", help="full-text search in English and Russian, ranked, with facets",
                        description="Find entities by the words of their labels, descriptions, evidence "
                        "quotations and texts; plural and case variants match. Exit code 2 for an unknown type or "
                        "country (the message lists the valid ones).")
    se.add_argument("text", help="the words to find, e.g. 'Kyrgyzstan police' or 'охранный ордер'")
    se.add_argument("--type", action="append", metavar="T", help="only this type (class local name, e.g. "
                    "Organisation, ProtectionOrderRegime); repeatable")
    se.add_argument("--country", help=COUNTRY_HELP)
    se.add_argument("--lang", choices=list(search_service.LANGUAGES), help="search only texts in this language")
    se.add_argument("--limit", type=int, default=50, help="at most this many results "
                    f"({search_service.MIN_LIMIT} to {search_service.MAX_LIMIT}; default 50)")
    se.add_argument("--format", choices=["text", "json"], default="text")
    se.set_defaults(func=cmd_search)

    gr = sub.add_parser("graph", help="network analysis and exports (networkx)")
    gsub = gr.add_subparsers(dest="graph_command", required=True, metavar="SUBCOMMAND")
    views = list(network.VIEWS)
    st = gsub.add_parser("stats", help="size, hubs, programmes without legal basis, per-country metrics")
    st.add_argument("--view", choices=views, default="all")
    st.add_argument("--country", help=COUNTRY_HELP)
    pa = gsub.add_parser("path", help="shortest path between two entities, e.g. act/kg-law-63-2017 org/kg-police")
    pa.add_argument("source")
    pa.add_argument("target")
    ex = gsub.add_parser("export", help="write a view for Gephi, Cytoscape, Graphviz or slides")
    ex.add_argument("--view", choices=views, default="all")
    ex.add_argument("--country", help=COUNTRY_HELP)
    ex.add_argument("--ego", help="an entity to centre on instead of a view")
    ex.add_argument("--radius", type=int, default=1)
    ex.add_argument("--format", choices=list(network.EXPORTS), default="graphml")
    ex.add_argument("-o", "--output")
    gr.set_defaults(func=cmd_graph)

    v = sub.add_parser("serve", help="serve the graph on localhost")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.opened, args.settings = None, None
    try:
        return args.func(args)
    except LegalgraphError as exc:
        print(f"legalgraph: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (`legalgraph stats | head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (keeps the interpreter's final flush quiet)
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: input the services did not foresee is bad input
        if os.environ.get("LEGALGRAPH_DEBUG") == "1":
            raise
        reason = "out of memory" if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {exc}"
        print(f"legalgraph: the command failed on its input ({reason[:500]})\n  hint: check the files and "
              "arguments you gave; LEGALGRAPH_DEBUG=1 shows the traceback", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if args.opened is not None:
            args.opened.close()


if __name__ == "__main__":
    sys.exit(main())
