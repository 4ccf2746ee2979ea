/* Working tables of the rok-compare report: sort, filter and download as CSV.
 *
 * Progressive enhancement of every <table data-table="name">: without script the tables are
 * plain HTML. A header click sorts (th data-type: "text"; "number" and "rank" largest first, e.g.
 * a commitment strength by its level; "year"; a cell's data-sort wins over its text). A text box keeps the
 * rows holding all its words; a th with data-filter gets a select of the column's values (a
 * cell's data-values lists several, one per line). The button writes the shown rows as CSV from
 * a Blob, with spreadsheet formulas neutralised as rok_compare/export/csv_guard.py does. A page
 * address like "#county=Gotlands län&q=tolk" presets the filters (th data-key names them).
 * Text goes into the page through textContent only.
 */
(function () {
  "use strict";
  var TRIGGERS = /^[=+\-@\t\r]/;

  function normal(text) { return String(text).replace(/\s+/g, " ").trim(); }

  function cellText(cell) {
    return cell.hasAttribute("data-csv") ? cell.getAttribute("data-csv") : normal(cell.textContent);
  }

  function categories(cell) {
    return cell.hasAttribute("data-values") ? cell.getAttribute("data-values").split("\n").filter(Boolean)
      : [cellText(cell)];
  }

  function sortKey(cell, type) {
    if (!cell) { return null; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cellText(cell);
    if (type === "number" || type === "rank") {
      var n = parseFloat(raw.replace(/[\s\u00a0%]/g, "").replace("\u2212", "-").replace(",", "."));
      return isNaN(n) ? null : n;
    }
    if (type === "year") {
      var m = /\d{4}/.exec(raw);
      return m ? Number(m[0]) : null;
    }
    return raw === "" ? null : raw.toLocaleLowerCase("sv");
  }

  function isNumber(text) { return /^-?\d+(\.\d+)?%?$/.test(text); }

  /* One CSV field: formulas get a leading ' (numbers stay numbers), quoted when needed. */
  function csvField(text, type) {
    var value = String(text);
    if (!((type === "number" || type === "rank") && isNumber(value)) && TRIGGERS.test(value)) { value = "'" + value; }
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function enhance(table, index) {
    var head = table.tHead, body = table.tBodies[0];
    if (!head || !body || !head.rows.length) { return null; }
    var headers = Array.prototype.slice.call(head.rows[head.rows.length - 1].cells);
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, k) {
      row.setAttribute("data-order", String(k));
      row.setAttribute("data-text", normal(row.textContent).toLocaleLowerCase("sv"));
    });
    var name = table.getAttribute("data-table") || "table";
    var types = headers.map(function (th) { return th.getAttribute("data-type") || "text"; });

    var bar = element("div", "table-tools");
    var box = element("input");
    box.type = "search";
    box.placeholder = "Filter " + rows.length + " row" + (rows.length === 1 ? "" : "s");
    box.setAttribute("aria-label", "Filter the table");
    box.className = "table-filter";
    bar.appendChild(box);
    var selects = [];
    headers.forEach(function (th, column) {
      if (!th.hasAttribute("data-filter")) { return; }
      var seen = {}, ranked = types[column] !== "text";
      rows.forEach(function (row) {
        var cell = row.cells[column];
        if (cell) {
          categories(cell).forEach(function (v) { if (v && !(v in seen)) { seen[v] = sortKey(cell, types[column]); } });
        }
      });
      var values = Object.keys(seen).sort(function (a, b) {  /* strengths most binding first, names A-Ö */
        return ranked && seen[a] !== seen[b] ? (seen[b] || 0) - (seen[a] || 0) : a.localeCompare(b, "sv");
      });
      if (values.length < 2) { return; }
      var label = element("label", "table-select", normal(th.textContent) + " ");
      var select = element("select");
      select.setAttribute("data-key", th.getAttribute("data-key") || normal(th.textContent).toLowerCase());
      select.setAttribute("data-column", String(column));
      select.appendChild(element("option", "", "all"));
      select.options[0].value = "";
      values.forEach(function (v) { var o = element("option", "", v); o.value = v; select.appendChild(o); });
      label.appendChild(select);
      bar.appendChild(label);
      selects.push(select);
    });
    var count = element("span", "table-count");
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);
    var button = element("button", "table-csv", "Download CSV");
    button.type = "button";
    bar.appendChild(button);
    var wrap = table.parentNode.classList && table.parentNode.classList.contains("table-wrap") ? table.parentNode : table;
    wrap.parentNode.insertBefore(bar, wrap);

    function apply() {
      var words = normal(box.value).toLocaleLowerCase("sv").split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-text");
        var keep = words.every(function (w) { return text.indexOf(w) >= 0; }) && selects.every(function (s) {
          var cell = row.cells[Number(s.getAttribute("data-column"))];
          return !s.value || (cell && categories(cell).indexOf(s.value) >= 0);
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = (shown === rows.length ? "" : shown + " of ") + rows.length + (rows.length === 1 ? " row" : " rows");
      count.setAttribute("data-shown", String(shown));
    }

    function sortBy(column) {
      var th = headers[column], type = types[column];
      var current = th.getAttribute("aria-sort");
      var first = type === "text" ? "ascending" : "descending";
      var direction = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", direction);
      var sign = direction === "ascending" ? 1 : -1;
      var keyed = rows.map(function (row) { return { row: row, key: sortKey(row.cells[column], type) }; });
      keyed.sort(function (x, y) {
        if (x.key === null || y.key === null) {
          if (x.key === y.key) { return Number(x.row.getAttribute("data-order")) - Number(y.row.getAttribute("data-order")); }
          return x.key === null ? 1 : -1;  /* empty cells last either way */
        }
        var c = typeof x.key === "number" ? x.key - y.key : x.key.localeCompare(y.key, "sv");
        return c !== 0 ? sign * c : Number(x.row.getAttribute("data-order")) - Number(y.row.getAttribute("data-order"));
      });
      keyed.forEach(function (k) { body.appendChild(k.row); });
    }

    headers.forEach(function (th, column) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.title = (th.title ? th.title + " · " : "") + "click to sort";
      th.addEventListener("click", function (e) { if (!e.target.closest("a")) { sortBy(column); } });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(column); }
      });
    });

    function download() {
      var lines = [headers.map(function (th, k) { return csvField(normal(th.textContent), "text"); }).join(",")];
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.hidden) { return; }
        lines.push(headers.map(function (th, k) {
          return csvField(row.cells[k] ? cellText(row.cells[k]) : "", types[k]);
        }).join(","));
      });
      var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name + ".csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }

    box.addEventListener("input", apply);
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    button.addEventListener("click", download);
    apply();
    return { box: box, selects: selects, apply: apply, index: index };
  }

  /* "#county=Gotlands län&q=tolk": preset the select filters with that key, and the text boxes. */
  function preset(tables) {
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) { return; }
    var params = new URLSearchParams(hash);
    tables.forEach(function (t) {
      if (params.has("q")) { t.box.value = params.get("q"); }
      t.selects.forEach(function (s) {
        var value = params.get(s.getAttribute("data-key"));
        if (value !== null && Array.prototype.some.call(s.options, function (o) { return o.value === value; })) {
          s.value = value;
        }
      });
      t.apply();
    });
  }

  var tables = [];
  Array.prototype.forEach.call(document.querySelectorAll("table[data-table]"), function (table, k) {
    var t = enhance(table, k);
    if (t) { tables.push(t); }
  });
  preset(tables);
  window.addEventListener("hashchange", function () { preset(tables); });
})();
