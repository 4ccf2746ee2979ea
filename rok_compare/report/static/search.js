/* Clause search of the rok-compare report.
 * Opened as files, it filters the clauses of search-data.js (window.ROK_SEARCH, loaded with
 * <script src> so that the page works from disk): every typed word must occur. Served by
 * `rok serve` (http/https), it sends the query and filters to /api/search, which runs the same
 * search as `rok search` (Swedish word forms, compound parts, phrases, prefixes), and falls back
 * to the local filter if the server does not answer. Either way each hit links to its clause's
 * anchor on its document's page. Every piece of text goes into the page through textContent or
 * text nodes, never as HTML: document text cannot become markup here.
 * Served, the form also gets the server's document type, party and year filters (as `rok search
 * --type --party --year`), and the address keeps the search (search.html?q=...&party=...), so it
 * can be shared; search.html?q=... and #q=... both open with that search run.
 */
(function () {
  "use strict";
  var LIMIT = 200;
  var data = window.ROK_SEARCH || { documents: {}, clauses: [] };
  var docs = data.documents;
  var clauses = data.clauses.map(function (c) {
    var doc = docs[String(c[0])] || {};
    return { doc: doc, kind: c[1], themes: c[2] || [], text: c[3], page: c[4], cluster: c[5], id: c[6],
             county: doc.county || "", folded: fold(c[3] + " " + (doc.title || "")) };
  });
  var served = window.location.protocol === "http:" || window.location.protocol === "https:";
  var mode = document.getElementById("search-mode");
  var pending = null, asked = 0;
  var input = document.getElementById("q");
  var selects = { county: document.getElementById("f-county"), kind: document.getElementById("f-kind"),
                  theme: document.getElementById("f-theme") };
  var SERVED_FILTERS = ["type", "party", "year"];
  var PARAMS = ["q", "county", "kind", "theme"].concat(SERVED_FILTERS);
  var list = document.getElementById("results");
  var count = document.getElementById("count");

  function fold(text) {
    return String(text).toLowerCase().normalize("NFC");
  }

  function fill(select, values) {
    values.sort(function (a, b) { return a.localeCompare(b, "sv"); }).forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value.replace(/_/g, " ");
      select.appendChild(option);
    });
  }

  function distinct(pick) {
    var seen = {};
    clauses.forEach(function (c) { [].concat(pick(c)).forEach(function (v) { if (v) { seen[v] = true; } }); });
    return Object.keys(seen);
  }

  /* The text with every occurrence of the words wrapped in <mark>, as DOM nodes: the query's words
   * when filtering locally, the word forms the server matched (its "highlights") when served. */
  function highlighted(text, words) {
    var out = document.createDocumentFragment();
    var lower = fold(text);
    var at = 0;
    while (words.length && lower.length === text.length) {
      var best = -1, length = 0;
      words.forEach(function (w) {
        var k = lower.indexOf(w, at);
        if (k >= 0 && (best < 0 || k < best || (k === best && w.length > length))) { best = k; length = w.length; }
      });
      if (best < 0) { break; }
      out.appendChild(document.createTextNode(text.slice(at, best)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + length);
      out.appendChild(mark);
      at = best + length;
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function span(text, className) {
    var node = document.createElement("span");
    node.textContent = text;
    if (className) { node.className = className; }
    return node;
  }

  function show(hits, total, words, note) {
    list.textContent = "";
    hits.slice(0, LIMIT).forEach(function (c) {
      var item = document.createElement("li");
      var meta = document.createElement("div");
      meta.className = "rmeta";
      var link = document.createElement("a");
      link.href = (c.doc.page || "#") + (c.id !== undefined && c.id !== null ? "#clause-" + c.id : "");
      link.textContent = c.doc.label || "document";
      link.title = c.doc.title || "";
      meta.appendChild(link);
      meta.appendChild(span(c.kind, "badge"));
      if (c.themes.length) { meta.appendChild(span(c.themes.join(", ").replace(/_/g, " "))); }
      if (c.page) { meta.appendChild(span("p. " + c.page)); }
      if (c.cluster !== null && c.cluster !== undefined) {
        var reuse = document.createElement("a");
        reuse.href = "reuse.html#cluster-" + c.cluster;
        reuse.textContent = "reused wording #" + c.cluster;
        meta.appendChild(reuse);
      }
      if (c.more) { meta.appendChild(span(c.more)); }
      var text = document.createElement("div");
      text.className = "rtext";
      text.appendChild(highlighted(c.text, c.words || words));
      item.appendChild(meta);
      item.appendChild(text);
      list.appendChild(item);
    });
    count.textContent = note || (hits.length + " of " + total + " clauses" +
      (hits.length > LIMIT ? " (showing the first " + LIMIT + ")" : ""));
    count.setAttribute("data-count", String(hits.length));
  }

  function local() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var county = selects.county.value, kind = selects.kind.value, theme = selects.theme.value;
    var hits = clauses.filter(function (c) {
      return (!county || c.county === county) && (!kind || c.kind === kind) &&
        (!theme || c.themes.indexOf(theme) >= 0) &&
        words.every(function (w) { return c.folded.indexOf(w) >= 0; });
    });
    show(hits, clauses.length, words);
  }

  /* A hit of /api/search (as `rok search --format json` writes it) as the list shows it. */
  function fromServer(hit) {
    var o = hit.occurrence || {};
    var doc = docs[String(o.document_id)] || { page: "doc/" + o.document_id + ".html", title: o.title || "" };
    var label = o.label || (hit.document && hit.document.label) || doc.label;
    return { doc: { page: doc.page, label: label, title: o.title || doc.title }, kind: hit.kind, themes: hit.themes || [],
             text: hit.text, page: o.page, cluster: hit.cluster_id, id: o.clause_id,
             more: hit.n_documents > 1 ? "in " + hit.n_documents + " documents" : "",
             words: Array.isArray(hit.highlights) ? hit.highlights.map(fold) : null };
  }

  function remote() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    Object.keys(selects).forEach(function (name) { if (value(name)) { params.set(name, value(name)); } });
    if (!params.toString()) { remember(params); local(); return; }
    remember(params);
    params.set("limit", String(LIMIT));
    var ticket = ++asked;
    fetch("/api/search?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (ticket !== asked) { return; }
        if (!answer.ok) {
          show([], 0, [], (answer.body && (answer.body.error || answer.body.detail)) || "The search failed.");
          return;
        }
        var body = answer.body;
        var hits = (Array.isArray(body) ? body : (body.hits || body.results || [])).map(fromServer);
        var words = fold(input.value).replace(/["*()]/g, " ").split(/\s+/).filter(function (w) {
          return w && ["and", "or", "not", "near"].indexOf(w) < 0;
        });
        var total = typeof body.total === "number" ? body.total : hits.length;
        show(hits, total, words, total + " clause(s), best first" +
          (total > hits.length ? " (showing the first " + hits.length + ")" : ""));
      })
      .catch(function () {
        if (ticket !== asked) { return; }
        served = false;
        if (mode) { mode.textContent = "The server did not answer: this page now filters the clauses it holds."; }
        local();
      });
  }

  /* A filter's value; the type select until /api/documents fills it: the type the address asked for. */
  function value(name) {
    var control = selects[name];
    return (control.value || control.getAttribute("data-wanted") || "").trim();
  }

  /* The filters only the server applies: document type (a select), party and year (text). */
  function addServedFilters() {
    var form = document.getElementById("search-form");
    var type = document.createElement("select");
    type.id = "f-type";
    type.name = "type";
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    type.appendChild(all);
    selects.type = type;
    form.appendChild(labelled("Document type", type));
    [["party", "Party", "part of a name, e.g. Arbetsförmedlingen"], ["year", "Valid in", "2019 or 2017-2019"]]
      .forEach(function (field) {
        var input = document.createElement("input");
        input.type = "text";
        input.id = "f-" + field[0];
        input.name = field[0];
        input.placeholder = field[2];
        input.autocomplete = "off";
        selects[field[0]] = input;
        form.appendChild(labelled(field[1], input));
      });
    fetch("/api/documents", { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (documents) {
        var types = {};
        documents.forEach(function (d) { if (d.type) { types[d.type] = true; } });
        var wanted = type.getAttribute("data-wanted");
        fill(type, Object.keys(types));
        if (wanted && types[wanted]) { type.value = wanted; type.removeAttribute("data-wanted"); }
      })
      .catch(function () { /* the select keeps "all"; the search itself reports a dead server */ });
  }

  function labelled(text, control) {
    var label = document.createElement("label");
    label.appendChild(document.createTextNode(text));
    label.appendChild(control);
    return label;
  }

  /* The search in the address bar (served): search.html?q=...&county=..., to share or reload. */
  function remember(params) {
    if (!window.history || !window.history.replaceState) { return; }
    var query = new URLSearchParams();
    PARAMS.forEach(function (name) { if (params.has(name)) { query.set(name, params.get(name)); } });
    var address = window.location.pathname + (query.toString() ? "?" + query.toString() : "");
    if (address !== window.location.pathname + window.location.search || window.location.hash) {
      window.history.replaceState(null, "", address);
    }
  }

  function render() {
    if (!served) { local(); return; }
    clearTimeout(pending);
    pending = setTimeout(remote, 150);
  }

  /* search.html?q=...&county=... (a shared address) and search.html#theme=health&q=... (links
   * from the themes page) preset the query and filters; the hash is read after the query string. */
  function fromAddress(parts) {
    parts.forEach(function (part) {
      var params = new URLSearchParams(part.replace(/^[?#]/, ""));
      if (params.has("q")) { input.value = params.get("q"); }
      Object.keys(selects).forEach(function (name) {
        var value = params.get(name), control = selects[name];
        if (value === null) { return; }
        if (control.tagName !== "SELECT") { control.value = value; return; }
        control.setAttribute("data-wanted", value);  // the type select is filled when /api/documents answers
        if (Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
          control.value = value;
        }
      });
    });
  }

  function fromHash() {
    fromAddress([window.location.hash]);
  }

  if (served && mode) {
    mode.textContent = "Searching the store with rok search's Swedish-aware matching: word forms, compound " +
      "parts, \"exact phrases\" and prefix* queries; filters alone are allowed.";
  }
  fill(selects.county, distinct(function (c) { return c.county; }));
  fill(selects.kind, distinct(function (c) { return c.kind; }));
  fill(selects.theme, distinct(function (c) { return c.themes; }));
  if (served) { addServedFilters(); }
  fromAddress([window.location.search, window.location.hash]);
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); });
  input.addEventListener("input", render);
  Object.keys(selects).forEach(function (name) {
    var control = selects[name];
    control.addEventListener(control.tagName === "SELECT" ? "change" : "input", function () {
      control.removeAttribute("data-wanted");  // a person's choice replaces the address's
      render();
    });
  });
  window.addEventListener("hashchange", function () { fromHash(); render(); });
  render();
})();
