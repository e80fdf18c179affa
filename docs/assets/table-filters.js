/* Filters for the project tables (规划项目一览, city pages): a form.table-filter narrows the rows of the tables after
   it, in the same page, by the values a row's cells carry in data-* attributes of the field's name (a cell holding
   <span data-phase="built">, or <span data-county>土默特左旗、托克托县</span> whose text is the list, "Tumed Left
   Banner, Togtoh County" on an English page), keeps the choice in the address (?phase=built) and says how many rows
   show, in the page's language.

   Progressive enhancement: without this script the form stays hidden and every row shows.
*/
(function () {
  "use strict";

  function rowValues(row, key) {
    var values = [];
    row.querySelectorAll("[data-" + key + "]").forEach(function (element) {
      var listed = element.getAttribute("data-" + key);
      // an empty attribute marks a cell whose text is the list (土默特左旗、托克托县): the names are not written twice
      values = values.concat(listed ? listed.split(";") : element.textContent.split(/、|, /));
    });
    return values;
  }

  function setup(form) {
    var fields = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
    var keys = fields.map(function (field) { return field.name; });
    var rows = [];
    document.querySelectorAll("table").forEach(function (table) {
      if (form.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) {
        table.querySelectorAll("tbody tr").forEach(function (row) { rows.push(row); });
      }
    });
    var output = form.querySelector("output");
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (field) {
      var wanted = params.get(field.name);
      if (wanted && field.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        field.value = wanted;
      }
    });

    function apply(remember) {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = fields.every(function (field) {
          return !field.value || rowValues(row, field.name).indexOf(field.value) !== -1;
        });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      if (output) {
        output.textContent = document.documentElement.lang.slice(0, 2) === "en"
          ? "Showing " + shown + " of " + rows.length + " projects"
          : "显示 " + shown + " / " + rows.length + " 个项目";
      }
      if (remember) {
        var query = new URLSearchParams(window.location.search);
        keys.forEach(function (key, index) {
          if (fields[index].value) { query.set(key, fields[index].value); } else { query.delete(key); }
        });
        var text = query.toString();
        history.replaceState(null, "", window.location.pathname + (text ? "?" + text : "") + window.location.hash);
      }
    }

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { window.setTimeout(function () { apply(true); }, 0); });
    form.hidden = false;
    apply(false);
  }

  function start() {
    document.querySelectorAll("form.table-filter").forEach(setup);
  }

  // Material's instant navigation swaps pages without a load event; without it, the page's own load is enough.
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
