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
})();
