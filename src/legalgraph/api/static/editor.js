// The entry editor (/entries/new): renders the forms the server generates from the SHACL shapes
// (/entries/new?kind=K&format=json), builds an expanded JSON-LD entry from what is typed, checks it live through
// POST /validate (the path of `legalgraph validate`), shows each result beside its field, downloads the entry
// through POST /entries/new/convert and submits it through POST /entries. The draft is kept in localStorage.
// The forms (labels in the page's language, services/forms.shown) and every word this script writes come from
// the page's JSON blocks (editor-forms, editor-words), translated by the server: no text is written here.
// No inline script or style: the CSP forbids them; elements are built with the DOM, text set as text.
(function () {
  "use strict";
  var root = document.getElementById("editor");
  if (!root) { return; }
  var KIND = root.dataset.kind;
  var WRITES = root.dataset.writes === "yes";
  var STORE_KEY = "legalgraph.editor.draft." + KIND;
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
  var LANGUAGES = ["en", "ru", "kk", "ky", "tg", "tk", "uz", ""];
  var LANG = document.documentElement.lang || "en";
  function block(id) { return JSON.parse((document.getElementById(id) || {}).textContent || "{}"); }
  var forms = block("editor-forms");
  var WORDS = block("editor-words");
  var PLURALS = new Intl.PluralRules(LANG);
  var draft = { blocks: [] };
  var counter = 0;
  var checkTimer = null;
  var checkSeq = 0;
  var blocksEl = document.getElementById("blocks");

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) { return; }
      if (k === "className") { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k] === true ? "" : attrs[k]); }
    });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  // ------------------------------------------------------------------ words

  // Text in another language than the page's (a Russian label on an English page, an English message from the
  // shapes on a Russian page) is marked with its language.
  function inLanguage(text, lang) {
    return lang && lang !== LANG ? el("span", { lang: lang }, text) : document.createTextNode(text);
  }

  function english(text) { return inLanguage(text, "en"); }

  // The nodes of a message: its words with each %(name)s (or %(name)d) replaced by a value, text or a node.
  function words(key, values, count) {
    var message = WORDS[key];
    if (count !== undefined) { message = message[PLURALS.select(count)] || message.other; }
    var out = [];
    var rest = message;
    var m;
    var marker = /%\((\w+)\)[sd]/;
    while ((m = marker.exec(rest))) {
      if (m.index) { out.push(document.createTextNode(rest.slice(0, m.index))); }
      var v = m[1] === "num" && count !== undefined ? String(count) : (values || {})[m[1]];
      out.push(typeof v === "string" ? document.createTextNode(v) : v);
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest) { out.push(document.createTextNode(rest)); }
    return out;
  }

  function text(key, values, count) {
    return words(key, values, count).map(function (n) { return n.textContent; }).join("");
  }

  function say(target, nodes) {
    target.textContent = "";
    nodes.forEach(function (n) { target.appendChild(n); });
  }

  function named(item) {
    var nodes = [inLanguage(item.label, item.labelLang)];
    if (item.other) { nodes.push(document.createTextNode(" — "), inLanguage(item.other, item.otherLang)); }
    return nodes;
  }

  function formOf(kind) {
    return forms[kind] ? Promise.resolve(forms[kind]) : Promise.reject(new Error(kind));
  }

  function save() {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(draft)); } catch (e) { /* storage full or refused */ }
  }

  function newBlock(kind) {
    var f = forms[kind];
    var values = {};
    f.fields.forEach(function (field) { values[field.key] = [{ v: "", lang: field.language || "en" }]; });
    return { uid: "b" + (++counter), kind: kind, id: f.prefix || "", values: values };
  }

  // ------------------------------------------------------------------ the JSON-LD entry

  function iri(text, base) {
    var t = (text || "").trim();
    return /^https?:\/\//.test(t) ? t : base + t;
  }

  function looksLikeId(t) {
    return /^https?:\/\/\S+$/.test(t) || /^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9\/-]*$/.test(t);
  }

  function datatypeFor(field, text) {
    var types = field.datatypes || [];
    for (var i = 0; i < types.length; i++) {
      if (types[i].pattern && new RegExp(types[i].pattern).test(text)) { return types[i].iri; }
    }
    return types.length ? types[0].iri : null;
  }

  function literal(field, value, text) {
    var types = (field.datatypes || []).map(function (d) { return d.iri; });
    if (field.input === "text" || types.indexOf(RDF_LANG) >= 0) {
      var lang = field.language || value.lang;
      return lang ? { "@value": text, "@language": lang } : { "@value": text };
    }
    var dt = datatypeFor(field, text);
    return dt ? { "@value": text, "@type": dt } : { "@value": text };
  }

  function term(field, value, base) {
    var text = (value.v || "").trim();
    if (field.input === "choice") { return { "@id": text }; }
    if (field.input === "boolean") { return { "@value": text === "true" }; }
    if (field.input === "entity") {
      if (looksLikeId(text) || !(field.datatypes || []).length) { return { "@id": iri(text, base) }; }
      return literal(field, value, text);
    }
    return literal(field, value, text);
  }

  function blockIri(b) {
    var f = forms[b.kind];
    return b.id && b.id.trim() && b.id.trim() !== f.prefix ? iri(b.id, f.base) : null;
  }

  function entry() {
    var nodes = [];
    draft.blocks.forEach(function (b) {
      var f = forms[b.kind];
      var node = { "@type": [f.iri] };
      var id = blockIri(b);
      if (id) { node["@id"] = id; }
      var filled = 0;
      f.fields.forEach(function (field) {
        (b.values[field.key] || []).forEach(function (value) {
          if (!(value.v || "").trim()) { return; }
          (node[field.path] = node[field.path] || []).push(term(field, value, f.base));
          filled += 1;
        });
      });
      if (filled || id) { nodes.push(node); }
    });
    return nodes;
  }

  function post(url, headers) {
    var body = JSON.stringify(entry());
    return fetch(url, { method: "POST", headers: Object.assign({ "Content-Type": "application/ld+json" }, headers || {}), body: body });
  }

  // ------------------------------------------------------------------ rendering

  function fieldIds(b, field) {
    var n = forms[b.kind].fields.indexOf(field);
    return { base: b.uid + "-f" + n, help: b.uid + "-f" + n + "-help", problems: b.uid + "-f" + n + "-problems" };
  }

  function changed() {
    save();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 700);
  }

  function optionLabel(o) { return o.other ? o.label + " — " + o.other : o.label; }

  function picker(b, field, value, input, ids, index) {
    var list = el("ul", { role: "listbox", id: ids.base + "-" + index + "-list", className: "picker", hidden: true });
    var chosen = el("span", { className: "muted small picked" }, value.label || "");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var timer = null;
    var active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function choose(item) {
      input.value = item.id;
      value.v = item.id;
      value.label = item.label;
      chosen.textContent = item.label;
      close();
      changed();
    }
    function show(items) {
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = el("li", { role: "option", id: list.id + "-" + i, "aria-selected": "false" });
        li.appendChild(document.createTextNode(item.label + " "));
        li.appendChild(el("span", { className: "muted small" }, item.id));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(item); });
        li._item = item;
        list.appendChild(li);
      });
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function search() {
      var q = input.value.trim();
      var base = forms[b.kind].base;
      var wanted = field.classes || [];
      var own = draft.blocks.filter(function (o) {
        var label = ((o.values["rdfs:label"] || [])[0] || {}).v || "";
        var text = (o.id + " " + label).toLowerCase();
        return o !== b && blockIri(o) && (!wanted.length || wanted.indexOf(o.kind) >= 0) && q && text.indexOf(q.toLowerCase()) >= 0;
      }).map(function (o) {
        return { id: o.id.trim(), label: text("inThisEntry", { label: ((o.values["rdfs:label"] || [])[0] || {}).v || o.id }) };
      });
      if (q.length < 2) { show(own); return; }
      var params = new URLSearchParams({ q: q, format: "json", limit: "8" });
      wanted.forEach(function (c) { params.append("type", c); });
      fetch("/search?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
        .then(function (data) {
          if (input.value.trim() !== q) { return; }
          var found = (data.hits || []).map(function (h) {
            return { id: h.iri.indexOf(base) === 0 ? h.iri.slice(base.length) : h.iri, label: h.label };
          });
          show(own.concat(found));
        })
        .catch(function () { show(own); });
    }
    input.addEventListener("input", function () {
      value.label = "";
      chosen.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (ev) {
      var items = list.querySelectorAll("[role=option]");
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!items.length) { return; }
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
        input.setAttribute("aria-activedescendant", items[active].id);
      } else if (ev.key === "Enter" && active >= 0 && items[active]) {
        ev.preventDefault();
        choose(items[active]._item);
      } else if (ev.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    return [list, chosen];
  }

  function control(b, field, value, ids, index) {
    var attrs = { id: ids.base + "-" + index, "aria-describedby": ids.help + " " + ids.problems, "data-key": field.key };
    if (field.required) { attrs["aria-required"] = "true"; }
    var parts = [];
    var input;
    if (field.input === "choice" || field.input === "boolean") {
      input = el("select", attrs);
      input.appendChild(el("option", { value: "" }, "—"));
      var options = field.input === "boolean" ? [{ iri: "true", label: WORDS.yes }, { iri: "false", label: WORDS.no }] : field.options;
      options.forEach(function (o) {
        input.appendChild(el("option", { value: o.iri, selected: o.iri === value.v }, optionLabel(o)));
      });
      input.addEventListener("change", function () { value.v = input.value; changed(); });
      parts.push(input);
    } else {
      attrs.type = field.input === "uri" ? "url" : "text";
      attrs.autocomplete = "off";
      if (field.input === "duration") { attrs.placeholder = WORDS.durationExample; }
      if (field.input === "date") { attrs.placeholder = WORDS.dateExample; }
      if (field.input === "entity") { attrs.placeholder = WORDS.entityExample; }
      input = el("input", attrs);
      input.value = value.v || "";
      input.addEventListener("input", function () { value.v = input.value; changed(); });
      parts.push(input);
      if (field.input === "entity") { parts = parts.concat(picker(b, field, value, input, ids, index)); }
      if (field.input === "text" && !field.language) {
        var lang = el("select", { "aria-label": text("language", { field: field.label }), id: ids.base + "-" + index + "-lang" });
        LANGUAGES.forEach(function (l) { lang.appendChild(el("option", { value: l, selected: l === (value.lang || "") }, l || WORDS.noLanguage)); });
        lang.addEventListener("change", function () { value.lang = lang.value; changed(); });
        parts.push(lang);
      }
    }
    var wrap = el("div", { className: "control" });
    parts.forEach(function (p) { wrap.appendChild(p); });
    return wrap;
  }

  function renderField(b, field) {
    var ids = fieldIds(b, field);
    var box = el("div", { className: "field", "data-key": field.key });
    var label = el("label", { "for": ids.base + "-0" });
    label.appendChild(inLanguage(field.label, field.labelLang));
    if (field.other) { label.appendChild(document.createTextNode(" ")); label.appendChild(el("span", { lang: field.otherLang, className: "muted" }, field.other)); }
    if (field.required) { label.appendChild(el("span", { className: "req", "aria-hidden": "true" }, " *")); label.appendChild(el("span", { className: "visually-hidden" }, " " + WORDS.required)); }
    box.appendChild(label);
    var values = b.values[field.key] = b.values[field.key] || [{ v: "", lang: field.language || "en" }];
    values.forEach(function (value, i) { box.appendChild(control(b, field, value, ids, i)); });
    if (field.repeatable) {
      var more = el("button", { type: "button", className: "more" }, text("addAnother", { field: field.label }));
      more.addEventListener("click", function () { values.push({ v: "", lang: field.language || "en" }); save(); render(); });
      box.appendChild(more);
    }
    box.appendChild(el("p", { id: ids.help, className: "help small muted", lang: field.helpLang !== LANG ? field.helpLang : null }, field.help));
    box.appendChild(el("div", { id: ids.problems, className: "problems", role: "alert" }));
    return box;
  }

  function renderBlock(b, first) {
    var f = forms[b.kind];
    var set = el("fieldset", { className: "block", id: b.uid, "data-kind": b.kind });
    var legend = el("legend");
    say(legend, named(f));
    set.appendChild(legend);
    var idBox = el("div", { className: "field", "data-key": "@id" });
    var idLabel = el("label", { "for": b.uid + "-id" }, WORDS.identifier);
    idLabel.appendChild(el("span", { className: "req", "aria-hidden": "true" }, " *"));
    idBox.appendChild(idLabel);
    var idInput = el("input", { id: b.uid + "-id", type: "text", autocomplete: "off", "aria-required": "true",
      "aria-describedby": b.uid + "-id-help " + b.uid + "-id-problems" });
    idInput.value = b.id || "";
    idInput.addEventListener("input", function () { b.id = idInput.value; changed(); });
    idBox.appendChild(idInput);
    var idHelp = el("p", { id: b.uid + "-id-help", className: "help small muted" });
    say(idHelp, (f.iriHelp ? [english(f.iriHelp)] : words("identifierUnder", { base: f.base }))
      .concat([document.createTextNode(" ")], words("writeAfter", { base: f.base })));
    idBox.appendChild(idHelp);
    idBox.appendChild(el("div", { id: b.uid + "-id-problems", className: "problems", role: "alert" }));
    set.appendChild(idBox);
    (f.alternatives || []).forEach(function (a) {
      set.appendChild(el("p", { className: "alternatives small", lang: LANG !== "en" ? "en" : null }, a.message));
    });
    f.fields.forEach(function (field) { set.appendChild(renderField(b, field)); });
    set.appendChild(el("div", { id: b.uid + "-problems", className: "problems", role: "alert" }));
    if (!first) {
      var remove = el("button", { type: "button", className: "remove" }, text("remove", { kind: f.label.toLowerCase() }));
      remove.addEventListener("click", function () {
        draft.blocks = draft.blocks.filter(function (o) { return o !== b; });
        changed();
        render();
      });
      set.appendChild(remove);
    }
    return set;
  }

  function render() {
    blocksEl.textContent = "";
    draft.blocks.forEach(function (b, i) { blocksEl.appendChild(renderBlock(b, i === 0)); });
  }

  // ------------------------------------------------------------------ live validation

  function shortOf(focus, base) { return focus.indexOf(base) === 0 ? focus.slice(base.length) : focus; }

  function clearProblems() {
    root.querySelectorAll(".problems").forEach(function (ul) { ul.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
    document.getElementById("warning-list").textContent = "";
    document.getElementById("benchmark-warnings").hidden = true;
  }

  function place(result) {
    var block = draft.blocks.find(function (b) {
      var id = blockIri(b);
      return id && (result.focus === id || result.focus === shortOf(id, forms[b.kind].base));
    });
    var item = el("p", { className: result.severity }, (WORDS[result.severity] || WORDS.Info) + " ");
    item.appendChild(english(result.message));
    if (!block) { document.getElementById("entry-problems").appendChild(item); return; }
    var f = forms[block.kind];
    var keys = (result.path || "").split(/[|\/]/);
    var field = f.fields.find(function (x) { return keys.indexOf(x.key) >= 0; });
    if (!field && !result.path && result.severity === "Violation" && (result.shape === "IRI pattern" || /^Name an? /.test(result.message))) {
      document.getElementById(block.uid + "-id-problems").appendChild(item);
      document.getElementById(block.uid + "-id").setAttribute("aria-invalid", "true");
      return;
    }
    if (!field) { document.getElementById(block.uid + "-problems").appendChild(item); return; }
    var ids = fieldIds(block, field);
    document.getElementById(ids.problems).appendChild(item);
    if (result.severity === "Violation") {
      root.querySelectorAll("#" + block.uid + " [data-key='" + field.key + "']").forEach(function (e) {
        if (e.tagName !== "DIV") { e.setAttribute("aria-invalid", "true"); }
      });
    }
  }

  function check() {
    var status = document.getElementById("check-status");
    if (!entry().length) { status.textContent = WORDS.nothingToCheck; clearProblems(); return; }
    var seq = ++checkSeq;
    status.textContent = WORDS.checking;
    post("/validate", { Accept: "application/json" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (seq !== checkSeq) { return; }
        clearProblems();
        if (!answer.ok) {
          say(status, words("notCheckable", { message: english(answer.body.message) }));
          return;
        }
        var seen = {};
        var results = answer.body.results.filter(function (r) {
          var key = [r.severity, r.focus, r.path, r.message].join("\u0000");
          if (seen[key]) { return false; }
          seen[key] = true;
          return true;
        });
        results.forEach(place);
        var warnings = results.filter(function (r) { return r.severity === "Warning"; });
        warnings.forEach(function (r) {
          document.getElementById("warning-list").appendChild(el("li", { className: "Warning", lang: LANG !== "en" ? "en" : null }, r.message));
        });
        document.getElementById("benchmark-warnings").hidden = !warnings.length;
        var violations = results.filter(function (r) { return r.severity === "Violation"; }).length;
        var summary = violations ? text("problems", {}, violations) : WORDS.noProblems;
        status.textContent = warnings.length ?
          text("statusWithWarnings", { status: summary, warnings: text("warnings", {}, warnings.length) }) :
          text("status", { status: summary });
      })
      .catch(function () { if (seq === checkSeq) { status.textContent = WORDS.noAnswer; } });
  }

  // ------------------------------------------------------------------ download, submit, clear

  function download(format) {
    var status = document.getElementById("save-status");
    post("/entries/new/convert?format=" + format)
      .then(function (r) {
        if (!r.ok) { return r.json().then(function (b) { throw new Error(b.message); }); }
        return r.blob();
      })
      .then(function (blob) {
        var a = el("a", { href: URL.createObjectURL(blob), download: "entry." + format });
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        status.textContent = text("downloaded", { file: "entry." + format });
      })
      .catch(function (e) { say(status, words("noDownload", { message: english(e.message) })); });
  }

  function submit() {
    var status = document.getElementById("save-status");
    var token = document.getElementById("write-token").value;
    var user = document.getElementById("user-name").value.trim() || "editor";
    status.textContent = WORDS.submitting;
    post("/entries", { Accept: "application/json", Authorization: "Bearer " + token, "X-Legalgraph-User": user })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (answer) {
        if (answer.status === 201 || answer.status === 200) {
          var links = document.createDocumentFragment();
          draft.blocks.forEach(function (b) {
            var id = blockIri(b);
            if (!id) { return; }
            if (links.childNodes.length) { links.appendChild(document.createTextNode(", ")); }
            links.appendChild(el("a", { href: "/id/" + shortOf(id, forms[b.kind].base) }, b.id.trim()));
          });
          say(status, answer.body.added ? words("added", { entry: answer.body.entry, links: links }) :
            words("nothingAdded", { message: english(answer.body.message), links: links }));
        } else if (answer.body.results) {
          status.textContent = WORDS.notAddedProblems;
          clearProblems();
          answer.body.results.forEach(place);
        } else {
          say(status, answer.body.hint ? words("notAddedHint", { message: english(answer.body.message), hint: english(answer.body.hint) }) :
            words("notAdded", { message: english(answer.body.message) }));
        }
      })
      .catch(function () { status.textContent = WORDS.notAddedNoAnswer; });
  }

  function clearDraft() {
    // a check scheduled or in flight for the draft being cleared must not overwrite the status afterwards
    clearTimeout(checkTimer);
    checkSeq++;
    try { localStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
    draft = { blocks: [newBlock(KIND)] };
    render();
    clearProblems();
    document.getElementById("check-status").textContent = WORDS.notChecked;
    document.getElementById("save-status").textContent = WORDS.cleared;
  }

  function start() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null"); } catch (e) { saved = null; }
    var kinds = [KIND];
    if (saved && Array.isArray(saved.blocks)) {
      saved.blocks.forEach(function (b) { if (kinds.indexOf(b.kind) < 0) { kinds.push(b.kind); } });
    }
    Promise.all(kinds.map(function (k) { return formOf(k).catch(function () { return null; }); })).then(function () {
      if (saved && Array.isArray(saved.blocks) && saved.blocks.length && saved.blocks[0].kind === KIND) {
        draft.blocks = saved.blocks.filter(function (b) { return forms[b.kind] && b.values; });
        draft.blocks.forEach(function (b) { b.uid = "b" + (++counter); });
        document.getElementById("save-status").textContent = WORDS.restored;
      } else {
        draft.blocks = [newBlock(KIND)];
      }
      render();
      if (saved) { check(); }
    });
    document.getElementById("add-block").addEventListener("click", function () {
      var kind = document.getElementById("add-kind").value;
      formOf(kind).then(function () { draft.blocks.push(newBlock(kind)); save(); render(); });
    });
    document.getElementById("download-ttl").addEventListener("click", function () { download("ttl"); });
    document.getElementById("download-jsonld").addEventListener("click", function () { download("jsonld"); });
    document.getElementById("clear-draft").addEventListener("click", clearDraft);
    var submitButton = document.getElementById("submit-entry");
    if (WRITES && submitButton) { submitButton.addEventListener("click", submit); }
  }

  start();
})();
