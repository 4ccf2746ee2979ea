/* Client-side clause search of the rok-compare report.
 * Data comes from search-data.js (window.ROK_SEARCH), loaded with <script src> so that the page
 * works opened from disk. Every piece of text goes into the page through textContent or text
 * nodes, never as HTML: document text cannot become markup here.
 */
(function () {
  "use strict";
  var LIMIT = 200;
  var data = window.ROK_SEARCH || { documents: {}, clauses: [] };
  var docs = data.documents;
  var clauses = data.clauses.map(function (c) {
    var doc = docs[String(c[0])] || {};
    return { doc: doc, kind: c[1], themes: c[2] || [], text: c[3], page: c[4], cluster: c[5],
             county: doc.county || "", folded: fold(c[3] + " " + (doc.title || "")) };
  });
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

  /* The text with every occurrence of the query words wrapped in <mark>, as DOM nodes. */
  function highlighted(text, words) {
    var out = document.createDocumentFragment();
    var lower = fold(text);
    var at = 0;
    while (words.length && lower.length === text.length) {
      var best = -1, length = 0;
      words.forEach(function (w) {
        var k = lower.indexOf(w, at);
        if (k >= 0 && (best < 0 || k < best)) { best = k; length = w.length; }
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

  function render() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var county = selects.county.value, kind = selects.kind.value, theme = selects.theme.value;
    var hits = clauses.filter(function (c) {
      return (!county || c.county === county) && (!kind || c.kind === kind) &&
        (!theme || c.themes.indexOf(theme) >= 0) &&
        words.every(function (w) { return c.folded.indexOf(w) >= 0; });
    });
    list.textContent = "";
    hits.slice(0, LIMIT).forEach(function (c) {
      var item = document.createElement("li");
      var meta = document.createElement("div");
      meta.className = "rmeta";
      var link = document.createElement("a");
      link.href = c.doc.page || "#";
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
      var text = document.createElement("div");
      text.className = "rtext";
      text.appendChild(highlighted(c.text, words));
      item.appendChild(meta);
      item.appendChild(text);
      list.appendChild(item);
    });
    count.textContent = hits.length + " of " + clauses.length + " clauses" +
      (hits.length > LIMIT ? " (showing the first " + LIMIT + ")" : "");
    count.setAttribute("data-count", String(hits.length));
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
