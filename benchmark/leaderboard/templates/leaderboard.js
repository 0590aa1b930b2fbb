(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("leaderboard-data").textContent);
  var textKeys = { name: true, training_data: true, created: true };

  function value(entry, key) {
    if (key.indexOf("contrast:") === 0) {
      var capability = (entry.groups.contrast || {})[key.slice(9)];
      return capability ? capability.consistency.value : null;
    }
    if (key.indexOf("lang:") === 0) {
      var group = entry.by_lang[key.slice(5)];
      return group ? group.value : null;
    }
    var field = entry[key];
    if (field && typeof field === "object") { return field.value; }
    return textKeys[key] ? String(field).toLowerCase() : field;
  }

  function compare(a, b, descending) {
    if (a === b) { return 0; }
    if (a === null || a === undefined) { return 1; }
    if (b === null || b === undefined) { return -1; }
    return (a < b ? -1 : 1) * (descending ? -1 : 1);
  }

  function sortTable(table, key, descending) {
    var entries = data.tables[Number(table.dataset.table)].entries;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var i = Number(x.dataset.entry), j = Number(y.dataset.entry);
      return compare(value(entries[i], key), value(entries[j], key), descending) || i - j;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.dataset.key === key) {
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  function sortAll(key, descending) {
    Array.prototype.forEach.call(document.querySelectorAll("table.board"), function (table) {
      sortTable(table, key, descending);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.board th[data-key]"), function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table");
      var descending = th.getAttribute("aria-sort") === "ascending" ||
        (!th.hasAttribute("aria-sort") && th.dataset.order === "descending");
      sortTable(table, th.dataset.key, descending);
    });
  });

  var wanted = /^#sort=(-?)([a-z_]+(?::[a-z]+)?)$/.exec(window.location.hash);
  if (wanted) { sortAll(wanted[2], wanted[1] === "-"); }
  // How the page fits the window (read by the browser test), measured with the capability lists folded and
  // unfolded: the widest page, the rows wider than the window, the tallest row.
  function layout() {
    var width = document.documentElement.clientWidth, rows = document.querySelectorAll("table.board tbody tr");
    var wide = [], tallest = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var box = row.getBoundingClientRect();
      if (box.right > width + 0.5) { wide.push(row.dataset.slug); }
      tallest = Math.max(tallest, Math.round(box.height));
    });
    return { page: document.documentElement.scrollWidth, window: width, wide: wide, tallest: tallest };
  }
  var details = document.querySelectorAll("table.board details");
  var folded = layout();
  Array.prototype.forEach.call(details, function (item) { item.open = true; });
  var unfolded = layout();
  Array.prototype.forEach.call(details, function (item) { item.open = false; });
  document.body.setAttribute("data-layout", JSON.stringify({ folded: folded, unfolded: unfolded }));
  document.body.setAttribute("data-ready", String(data.tables.length));
})();
