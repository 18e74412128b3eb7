// Sorting and filtering only: the page reads fully without script.
(function () {
  function cellValue(row, i) {
    var text = row.children[i] ? row.children[i].textContent.trim() : "";
    var num = parseFloat(text);
    return isNaN(num) || !/^-?[\d.]+$/.test(text) ? text.toLowerCase() : num;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, i) {
      var asc = true;
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
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
})();
