// Sorting and filtering only: the page reads fully without script.
(function () {
  function cellValue(row, i) {
    var text = row.children[i] ? row.children[i].textContent.trim() : "";
    var num = parseFloat(text);
    return isNaN(num) || !/^-?[\d.]+$/.test(text) ? text.toLowerCase() : num;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("th");
    headers.forEach(function (th, i) {
      var asc = true;
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        asc = !asc;
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var box = document.getElementById("search");
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase();
    document.querySelectorAll(".filterable").forEach(function (el) {
      el.classList.toggle("hidden", q !== "" && el.textContent.toLowerCase().indexOf(q) < 0);
    });
  });
  // A table's own search box (the glossary's): <input class="table-filter" data-table="ID">
  // hides the rows of table ID that do not hold the text; its .filter-count says how many show.
  document.querySelectorAll("input.table-filter").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table) return;
    var count = document.querySelector('.filter-count[data-for="' + table.id + '"]');
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var rows = table.tBodies[0].rows, shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var out = q !== "" && rows[i].textContent.toLowerCase().indexOf(q) < 0;
        rows[i].classList.toggle("filtered-out", out);
        if (!out) shown++;
      }
      if (count) count.textContent = (q === "" ? "" : shown + " of ") + rows.length + " entries";
    });
  });
  // The keyword map: a click (or Enter) on a node lists only its documents
  // (<g class="node" data-docs="ID ...">); the .map-filter bars say so, their link shows all.
  var mapNodes = document.querySelectorAll("svg.keymap g.node");
  var bars = document.querySelectorAll(".map-filter");
  function showAll() {
    document.querySelectorAll("article.doc.concept-out").forEach(function (el) {
      el.classList.remove("concept-out");
    });
    mapNodes.forEach(function (n) { n.classList.remove("selected"); });
    bars.forEach(function (bar) { bar.hidden = true; });
  }
  function selectNode(node) {
    var ids = {}, n = 0;
    (node.getAttribute("data-docs") || "").split(" ").forEach(function (id) {
      if (id) { ids["doc-" + id] = true; n++; }
    });
    document.querySelectorAll("article.doc").forEach(function (el) {
      el.classList.toggle("concept-out", !ids[el.id]);
    });
    mapNodes.forEach(function (m) { m.classList.toggle("selected", m === node); });
    var text = n + (n === 1 ? " document" : " documents") + " of concept " + node.getAttribute("data-label");
    bars.forEach(function (bar) {
      bar.querySelector(".map-filter-text").textContent = text;
      bar.hidden = false;
    });
  }
  mapNodes.forEach(function (node) {
    node.addEventListener("click", function () { selectNode(node); });
    node.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectNode(node); }
    });
  });
  document.querySelectorAll(".map-reset").forEach(function (link) {
    link.addEventListener("click", function (ev) { ev.preventDefault(); showAll(); });
  });
})();
