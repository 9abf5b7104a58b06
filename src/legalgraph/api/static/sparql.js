// The YASGUI editor of /sparql. A file, not an inline script, so the page runs under CSP script-src 'self'.
//
// The editor only ever queries this server's /sparql: it takes nothing from the page's URL (a link such as
// /sparql#query=…&endpoint=http://elsewhere/ must neither run a query nor change the endpoint), it keeps
// nothing in localStorage, and the endpoint is put back before every query whatever was typed.
(async function () {
  "use strict";
  const root = document.getElementById("yasgui");
  const endpoint = new URL(root.dataset.endpoint, window.location.origin).href;
  Yasgui.Yasqe.defaults.value = JSON.parse(document.getElementById("sparql-example").textContent);
  // Offline: no prefix.cc, no LOV term lookups, no endpoint catalogue beyond this server.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.consumeShareLink = null;  // a standalone Yasqe would read the query from the URL
  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    populateFromUrl: false,  // the default reads query, endpoint and more from location.hash and runs it
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: null,
  });
  const pin = (tab) => { if (tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint); };
  yasgui.on("queryBefore", (_yasgui, tab) => pin(tab));  // before the request is built from the tab
  yasgui.on("tabAdd", (_yasgui, id) => { const tab = yasgui.getTab(id); if (tab) pin(tab); });
  const list = await (await fetch("/queries?format=json")).json();
  for (const q of list.slice(0, 8)) {
    const text = await (await fetch("/queries/" + encodeURIComponent(q.name) + "/text")).text();
    yasgui.addTab(false, { name: q.name, yasqe: { value: text } });
  }
  window.legalgraphYasgui = yasgui;
  // Accessibility: YASGUI's tab bar points aria-controls at panels it has not drawn yet, holds its "add tab"
  // button among the tabs, and leaves CodeMirror's input without a name. Mend it whenever YASGUI redraws.
  const mend = () => {
    for (const a of root.querySelectorAll("[role=tab][aria-controls]")) {
      if (!document.getElementById(a.getAttribute("aria-controls"))) a.removeAttribute("aria-controls");
    }
    for (const b of root.querySelectorAll("[role=tablist] button")) {
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", "false");
    }
    for (const t of root.querySelectorAll("textarea:not([aria-label])")) t.setAttribute("aria-label", "SPARQL query");
    for (const i of root.querySelectorAll(".tab input:not([aria-label])")) i.setAttribute("aria-label", "Tab name");
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mend(); }); }
  }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-controls"] });
  mend();
  root.dataset.ready = "true";
})();
