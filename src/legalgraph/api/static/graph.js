// The graph view of /graph (Cytoscape.js). A file, not an inline script, so the page runs under CSP
// script-src 'self'; the colours per type come from the page's <script type="application/json" id="graph-colours">.
const COLOURS = JSON.parse(document.getElementById("graph-colours").textContent);
for (const i of document.querySelectorAll(".legend i[data-type]")) i.style.background = COLOURS[i.dataset.type] || "#ccc";
cytoscape.use(cytoscapeFcose);
const LAYOUT = { name: "fcose", animate: false, quality: "default", randomize: true };
const SHAPES = {LegalAct: "round-rectangle", Article: "rectangle", Annex: "rectangle", Obligation: "diamond",
                PerpetratorProgramme: "hexagon", ProtectionOrderRegime: "octagon", Country: "star", Group: "barrel"};
let cy;
function params() {
  const p = new URLSearchParams();
  p.set("view", document.getElementById("view").value);
  const c = document.getElementById("country").value; if (c) p.set("country", c);
  for (const o of document.getElementById("types").selectedOptions) p.append("types", o.value);
  return p;
}
async function load(p) {
  const res = await fetch("/graph/data.json?" + p.toString());
  const data = await res.json();
  if (data.error) { document.getElementById("status").textContent = data.error; return; }
  document.getElementById("status").textContent = `${data.shown_nodes} of ${data.total_nodes} nodes shown` +
    (data.aggregated ? `, ${data.aggregated} grouped` : "");
  const els = data.nodes.concat(data.edges);
  if (!cy) {
    cy = cytoscape({ container: document.getElementById("cy"), elements: els, wheelSensitivity: 0.2,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 8, "text-wrap": "ellipsis", "text-max-width": 90,
          "background-color": (n) => COLOURS[n.data("type")] || "#ccc", "shape": (n) => SHAPES[n.data("type")] || "ellipse" } },
        { selector: "edge", style: { "width": 1, "line-color": "#bbb", "target-arrow-shape": "triangle",
          "target-arrow-color": "#bbb", "curve-style": "bezier", "font-size": 6, "label": "data(label)" } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#000" } } ],
      layout: LAYOUT });
    cy.on("tap", "node", (e) => show(e.target));
  } else {
    cy.elements().remove(); cy.add(els); cy.layout(LAYOUT).run();
  }
  window.legalgraphCy = cy;
}
function show(node) {
  const d = node.data();
  const words = WORDS;
  const panel = document.getElementById("panel");
  panel.innerHTML = "";
  const h = document.createElement("h2"); h.textContent = d.label; panel.appendChild(h);
  const p = document.createElement("p"); p.textContent = `${d.type}${d.country ? " · " + d.country : ""} · ${node.degree()} ${words.links}`;
  panel.appendChild(p);
  if (d.href) { const a = document.createElement("a"); a.href = d.href; a.id = "open-entity"; a.textContent = words.open; panel.appendChild(a); }
  if (!d.id.startsWith("group:")) {
    const b = document.createElement("button"); b.textContent = words.expand; b.id = "expand";
    b.onclick = async () => {
      const res = await fetch("/graph/data.json?ego=" + encodeURIComponent(d.id) + "&radius=1");
      const data = await res.json();
      const existing = new Set(cy.elements().map((e) => e.id()));
      cy.add(data.nodes.filter((n) => !existing.has(n.data.id)));
      const ids = new Set(cy.nodes().map((n) => n.id()));
      cy.add(data.edges.filter((e) => ids.has(e.data.source) && ids.has(e.data.target))
                       .map((e) => ({ data: { ...e.data, id: "x" + d.id + e.data.id } })));
      cy.layout(LAYOUT).run();
    };
    panel.appendChild(document.createTextNode(" ")); panel.appendChild(b);
  }
}
document.getElementById("filters").addEventListener("submit", (e) => { e.preventDefault(); load(params()); });
document.getElementById("find").addEventListener("change", (e) => {
  const q = e.target.value.toLowerCase();
  const hit = cy.nodes().filter((n) => (n.data("label") || "").toLowerCase().includes(q)).first();
  if (hit.nonempty()) { cy.elements().unselect(); hit.select(); cy.animate({ center: { eles: hit }, zoom: 2 }); show(hit); }
});
// The page's words for the panel, in its language (graph.html puts them in a JSON block).
const WORDS = Object.assign({ links: "links", open: "Open entity page", expand: "Expand neighbours" },
  JSON.parse((document.getElementById("graph-words") || {}).textContent || "{}"));
function download(name, href) { const a = document.createElement("a"); a.href = href; a.download = name; a.click(); }
document.getElementById("png").onclick = () => download("legalgraph.png", cy.png({ full: true, bg: "#fff" }));
// SVG of the current filter, drawn by Graphviz on the server (with a legend).
document.getElementById("svg").onclick = () => download("legalgraph.svg", "/graph/export.svg?" + params().toString());
const initial = new URLSearchParams(window.location.search.length ? window.location.search : "view=all&country=kyrgyzstan");
document.getElementById("view").value = initial.get("view") || "all";
document.getElementById("country").value = initial.get("country") || "";
for (const o of document.getElementById("types").options) o.selected = initial.getAll("types").includes(o.value);
load(initial);
