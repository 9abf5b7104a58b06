#!/usr/bin/env bash
# Time the canned queries on Virtuoso (Debian's virtuoso-opensource) over HTTP, on the same graph that
# bench/run.py measures: the shipped ontology/ and data/ files plus a bench/synth.py file.
#
#   bench/virtuoso.sh [TRIPLES] [REPS]        # default 100000 triples, 10 repetitions
#
# What it does (see bench/README.md, "Virtuoso"):
#   1. apt-get install virtuoso-opensource (needs root; skipped when virtuoso-t is already installed);
#   2. starts a private Virtuoso instance in a work directory, listening on loopback only
#      (SQL 127.0.0.1:11111, HTTP 127.0.0.1:18890), with a fresh database (user dba, password dba);
#   3. loads every Turtle file into its own named graph with ld_add + rdf_loader_run (bulk loader) and
#      reports the load time;
#   4. writes each canned query (queries/*.rq, or bench/run.py's built-in set) with its parameters bound as
#      bench/run.py binds them, and times it REPS times with curl against /sparql (median and p95);
#   5. runs every canned query through legalgraph's remote backend on it, and compares the rows with the
#      embedded store's on the same files;
#   6. stops the instance. The work directory is kept (VIRTUOSO_WORK, default /tmp/legalgraph-virtuoso).
#
# Never run by the tests: it installs system packages and starts a server.
set -euo pipefail

TRIPLES="${1:-100000}"
REPS="${2:-10}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
WORK="${VIRTUOSO_WORK:-/tmp/legalgraph-virtuoso}"
SQL_PORT="${VIRTUOSO_SQL_PORT:-11111}"
HTTP_PORT="${VIRTUOSO_HTTP_PORT:-18890}"
ENDPOINT="http://127.0.0.1:${HTTP_PORT}/sparql"

# ------------------------------------------------------------------ 1. install
if ! command -v virtuoso-t >/dev/null 2>&1; then
  echo "installing virtuoso-opensource with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  # the package asks for a DBA password for its own system database; we never use that database
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | debconf-set-selections || true
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | debconf-set-selections || true
  apt-get update
  apt-get install -y --no-install-recommends virtuoso-opensource curl
  # the packaged service is not needed; stop it if the package started it
  (service virtuoso-opensource-7 stop || systemctl stop virtuoso-opensource-7) >/dev/null 2>&1 || true
fi
ISQL="$(command -v isql-vt || command -v isql-v || true)"
[ -n "$ISQL" ] || { echo "isql-vt not found (part of virtuoso-opensource)" >&2; exit 1; }
INI_SRC="$(ls /etc/virtuoso-opensource-*/virtuoso.ini 2>/dev/null | head -n1)"
[ -n "$INI_SRC" ] || { echo "no /etc/virtuoso-opensource-*/virtuoso.ini to start from" >&2; exit 1; }
VARDIR="$(sed -n 's/^DatabaseFile[[:space:]]*=[[:space:]]*\(.*\)\/virtuoso\.db.*/\1/p' "$INI_SRC" | head -n1)"

# ------------------------------------------------------------------ data and queries
rm -rf "$WORK"
mkdir -p "$WORK/db" "$WORK/data" "$WORK/queries"
"$PY" "$ROOT/bench/synth.py" --triples "$TRIPLES" -o "$WORK/data/synth-$TRIPLES.ttl"
cp "$ROOT"/ontology/*.ttl "$ROOT"/data/*.ttl "$WORK/data/"
"$PY" - "$ROOT" "$WORK/queries" <<'EOF'
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(sys.argv[1]) / "bench"))
import run  # bench/run.py: the same queries and parameter values as the benchmark

from legalgraph.namespaces import PREFIXES
from legalgraph.store.binding import bind

out = Path(sys.argv[2])
source, queries = run.load_queries("auto")
for q in queries:
    text = bind(q["text"], q["bindings"])
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z0-9_-]*):", text))
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    (out / f"{q['name']}.rq").write_text(head + text)
print(f"{len(queries)} queries from {source}", file=sys.stderr)
EOF

# ------------------------------------------------------------------ 2. a private instance on loopback
INI="$WORK/virtuoso.ini"
sed -e "s#${VARDIR}#${WORK}/db#g" \
    -e "s#^ServerPort[[:space:]]*=[[:space:]]*1111.*#ServerPort = 127.0.0.1:${SQL_PORT}#" \
    -e "s#^ServerPort[[:space:]]*=[[:space:]]*8890.*#ServerPort = 127.0.0.1:${HTTP_PORT}#" \
    -e "s#^DirsAllowed[[:space:]]*=.*#DirsAllowed = ., ${WORK}/data, /usr/share/virtuoso-opensource-7/vad#" \
    -e "s#^ResultSetMaxRows[[:space:]]*=.*#ResultSetMaxRows = 10000000#" \
    -e "s#^MaxQueryExecutionTime[[:space:]]*=.*#MaxQueryExecutionTime = 600#" \
    -e "s#^NumberOfBuffers[[:space:]]*=.*#NumberOfBuffers = 170000#" \
    -e "s#^MaxDirtyBuffers[[:space:]]*=.*#MaxDirtyBuffers = 130000#" \
    "$INI_SRC" > "$INI"
grep -q "127.0.0.1:${HTTP_PORT}" "$INI" || { echo "could not set the HTTP port in $INI" >&2; exit 1; }

(cd "$WORK/db" && virtuoso-t +configfile "$INI" +foreground > "$WORK/virtuoso.log" 2>&1) &
VPID=$!
cleanup() { "$ISQL" "127.0.0.1:${SQL_PORT}" dba dba exec="shutdown;" >/dev/null 2>&1 || kill "$VPID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$ENDPOINT?query=ASK%7B%7D" && break
  sleep 1
done
curl -sf -o /dev/null "$ENDPOINT?query=ASK%7B%7D" || { echo "Virtuoso did not start; see $WORK/virtuoso.log" >&2; exit 1; }

# ------------------------------------------------------------------ 3. bulk load, one named graph per file
LOAD_SQL="$WORK/load.sql"
: > "$LOAD_SQL"
for f in "$WORK"/data/*.ttl; do
  stem="$(basename "$f" .ttl)"
  case "$stem" in
    legalgraph|vocabularies) dir=ontology ;;
    synth-*) dir=synth ;;
    *) dir=data ;;
  esac
  echo "ld_add('$f', 'https://w3id.org/legalgraph/graph/$dir/$stem');" >> "$LOAD_SQL"
done
echo "rdf_loader_run();" >> "$LOAD_SQL"
echo "checkpoint;" >> "$LOAD_SQL"
t0=$(date +%s.%N)
"$ISQL" "127.0.0.1:${SQL_PORT}" dba dba "$LOAD_SQL" > "$WORK/load.log"
t1=$(date +%s.%N)
"$ISQL" "127.0.0.1:${SQL_PORT}" dba dba exec="SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;" \
  | grep -v '^$' >> "$WORK/load.log" || true
COUNT="$(curl -s -H 'Accept: text/csv' --data-urlencode \
  'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/legalgraph/graph/")) }' \
  "$ENDPOINT" | tail -n1)"
printf 'Virtuoso bulk load: %s triples in %s s (log: %s)\n' "$COUNT" "$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }")" \
  "$WORK/load.log"

# ------------------------------------------------------------------ 4. time the queries over HTTP
# The default graph of /sparql without default-graph-uri is the union of all graphs, as in bench/run.py.
printf '\n%-42s %10s %10s %8s\n' "query" "median" "p95" "bytes"
for q in "$WORK"/queries/*.rq; do
  name="$(basename "$q" .rq)"
  times="$WORK/queries/$name.times"
  : > "$times"
  curl -s -o "$WORK/queries/$name.json" -H 'Accept: application/sparql-results+json' \
    --data-urlencode "query@$q" "$ENDPOINT"  # warm-up
  for _ in $(seq 1 "$REPS"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H 'Accept: application/sparql-results+json' \
      --data-urlencode "query@$q" "$ENDPOINT" >> "$times"
  done
  sort -n "$times" | awk -v name="$name" -v bytes="$(wc -c < "$WORK/queries/$name.json")" '
    { t[NR] = $1 }
    END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
          i = int(0.95 * NR + 0.999); if (i < 1) i = 1; if (i > NR) i = NR;
          printf "%-42s %9.1fms %9.1fms %8d\n", name, m * 1000, t[i] * 1000, bytes }'
done
echo
echo "Results (JSON answers, timings) in $WORK/queries; compare with bench/run.py's 'ours med' column."

# ------------------------------------------------------------------ 5. legalgraph itself on Virtuoso
# The remote backend on this instance (Virtuoso's default graph is already the union: union = server). Each
# canned query, bound as above, must give the rows of the embedded store built from the same files,
# compared as multisets as the test suite compares engines (legalgraph.formats.comparable).
"$PY" - "$ROOT" "$WORK" "$ENDPOINT" <<'EOF'
import logging
import sys
from pathlib import Path

logging.disable(logging.WARNING)  # rdflib logs every literal it cannot read (Virtuoso's durations)
root, work, endpoint = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
sys.path.insert(0, str(root / "bench"))
import run

from legalgraph.store.remote import Endpoints, RemoteStore
from legalgraph.formats import comparable
from legalgraph.store import OxigraphStore, source_files

embedded = OxigraphStore(work / "embedded")
embedded.sync([*source_files(), *sorted((work / "data").glob("synth-*.ttl"))])
virtuoso = RemoteStore(Endpoints.from_url(endpoint), union="server")
canned = run.load_queries("auto")[1]
same = 0
for q in canned:
    a, b = embedded.query(q["text"], q["bindings"]), virtuoso.query(q["text"], q["bindings"])
    ours, theirs = comparable(a), comparable(b)
    if ours == theirs:
        same += 1
        continue
    only_ours, only_theirs = ours - theirs, theirs - ours
    cols = set()  # each row of ours against the row of theirs that it is closest to
    for x in only_ours:
        y = max(only_theirs, key=lambda y, x=x: sum(u == v for u, v in zip(x, y)), default=None)
        cols |= {a.variables[i] for i, (u, v) in enumerate(zip(x, y or ())) if u != v}
    cols = sorted(cols)
    print(f"differs on Virtuoso: {q['name']}: {sum(ours.values())} rows embedded, {sum(theirs.values())} on "
          f"Virtuoso, {sum(only_ours.values())} only embedded; columns that differ: {', '.join(cols) or '-'}")
print(f"legalgraph on Virtuoso ({endpoint}, union = server): {same} of {len(canned)} canned queries give the "
      "embedded store's rows (bench/README.md, 'Virtuoso', says why the others differ)")
EOF
