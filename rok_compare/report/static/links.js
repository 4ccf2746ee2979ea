/* Links of the rok-compare report that depend on how it is opened.
 *
 * Served by `rok serve` (http or https), every element with data-compare="A,B" (a heatmap cell,
 * a "side by side" link) leads to the server's live comparison /compare?a=A&b=B. Opened as
 * files, it keeps its href: the precomputed compare/A-B.html where the report has one, and no
 * link where it has none. A link to a clause anchor (doc/12.html#clause-345) opens the folded
 * list the clause is in and marks it.
 */
(function () {
  "use strict";
  var served = window.location.protocol === "http:" || window.location.protocol === "https:";

  Array.prototype.forEach.call(document.querySelectorAll("[data-compare]"), function (node) {
    var ids = node.getAttribute("data-compare").split(",");
    if (ids.length !== 2 || !/^\d+$/.test(ids[0]) || !/^\d+$/.test(ids[1])) { return; }
    if (served) {
      node.setAttribute("href", "/compare?a=" + ids[0] + "&b=" + ids[1]);
      node.classList.remove("no-compare");
    }
  });
  document.documentElement.setAttribute("data-served", served ? "yes" : "no");

  /* compare.html's "Compare any two documents": served, the form asks /compare; opened as files,
   * it opens the precomputed page of the two, or says that rok serve compares them. */
  var pick = document.getElementById("pick-two");
  if (pick && !served) {
    pick.addEventListener("submit", function (e) {
      e.preventDefault();
      var a = pick.elements.a.value, b = pick.elements.b.value;
      var have = (pick.getAttribute("data-precomputed") || "").split(" ");
      var note = pick.querySelector(".pick-note");
      if (a === b) { note.textContent = "Choose two different documents."; return; }
      var page = have.indexOf(a + "-" + b) >= 0 ? a + "-" + b : have.indexOf(b + "-" + a) >= 0 ? b + "-" + a : "";
      if (page) { window.location.href = "compare/" + page + ".html"; return; }
      note.textContent = "This report holds no comparison of these two; `rok serve` aligns any two documents.";
    });
  }

  function reveal() {
    var id = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (!id || id.indexOf("=") >= 0) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    for (var node = target.parentNode; node; node = node.parentNode) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    target.scrollIntoView({ block: "center" });
  }
  reveal();
  window.addEventListener("hashchange", reveal);
})();
