/* Clause search of the rok-compare report.
 * Opened as files, it filters the clauses of search-data.js (window.ROK_SEARCH, loaded with
 * <script src> so that the page works from disk): every typed word must occur. Served by
 * `rok serve` (http/https), it sends the query and filters to /api/search, which runs the same
 * search as `rok search` (Swedish word forms, compound parts, phrases, prefixes), and falls back
 * to the local filter if the server does not answer. Either way each hit links to its clause's
 * anchor on its document's page. Every piece of text goes into the page through textContent or
 * text nodes, never as HTML: document text cannot become markup here.
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
    Object.keys(selects).forEach(function (name) { if (selects[name].value) { params.set(name, selects[name].value); } });
    if (!params.toString()) { local(); return; }
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

  function render() {
    if (!served) { local(); return; }
    clearTimeout(pending);
    pending = setTimeout(remote, 150);
  }

  /* search.html#theme=health&q=... presets the filters (links from the themes page). */
  function fromHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    if (params.has("q")) { input.value = params.get("q"); }
    Object.keys(selects).forEach(function (name) {
      var value = params.get(name);
      if (value !== null && Array.prototype.some.call(selects[name].options, function (o) { return o.value === value; })) {
        selects[name].value = value;
      }
    });
  }

  if (served && mode) {
    mode.textContent = "Searching the store with rok search's Swedish-aware matching: word forms, compound " +
      "parts, \"exact phrases\" and prefix* queries; filters alone are allowed.";
  }
  fill(selects.county, distinct(function (c) { return c.county; }));
  fill(selects.kind, distinct(function (c) { return c.kind; }));
  fill(selects.theme, distinct(function (c) { return c.themes; }));
  fromHash();
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); });
  input.addEventListener("input", render);
  Object.keys(selects).forEach(function (name) { selects[name].addEventListener("change", render); });
  window.addEventListener("hashchange", function () { fromHash(); render(); });
  render();
})();
