/* Filters and collapsible groups for the measure lists on city and theme pages.

   Progressive enhancement: the page is complete without this script (every card shown, the form stays hidden,
   the page prints whole). With it, the form narrows the cards by county, city, theme, document, deadline and
   responsible unit, keeps the choice in the address (?theme=…&unit=…) so it can be shared, and long pages start
   with their groups folded under headings that show how many cards each holds. The county chosen here is chosen in
   the project tables' form too (assets/table-filters.js), and the other way round. No server, no framework: works
   from file://.
*/
(function () {
  "use strict";

  var FOLD_ABOVE = 60; // a list longer than this starts folded, with a fold button on each group
  var FIELDS = ["county", "city", "theme", "doc", "deadline", "unit"];
  var forms = [];  // {form, apply} of every form on the page, to share the chosen county

  // What the script writes, in the page's language (<html lang>: the Chinese edition or the English one)
  var WORDS = {
    zh: {
      cards: function (n) { return "（" + n + " 项）"; },
      group: function (shown, all) { return (shown === null ? "" : shown + " / ") + all + " 项"; },
      status: function (shown, all) {
        return (shown === null ? "" : "显示 " + shown + " 项，") + "共 " + all + " 项举措";
      },
      unfold: "展开", fold: "收起", unfoldAll: "全部展开", foldAll: "全部收起"
    },
    en: {
      cards: function (n) { return " (" + n + ")"; },
      group: function (shown, all) {
        return shown === null ? all + (all === 1 ? " measure" : " measures") : shown + " of " + all;
      },
      status: function (shown, all) {
        return (shown === null ? "" : "Showing " + shown + " of ") + all + (all === 1 ? " measure" : " measures");
      },
      unfold: "Expand", fold: "Collapse", unfoldAll: "Expand all", foldAll: "Collapse all"
    }
  };
  function say() {
    return WORDS[document.documentElement.lang.slice(0, 2)] || WORDS.zh;
  }

  // A card carries data-* only where its text does not already say it (the page weighs less): no data-deadline
  // means no deadline, no data-unit means the units as printed under 责任单位 (on an English card, in the
  // element marked Chinese after "Responsible: ").
  function values(card, key) {
    var raw = card.getAttribute("data-" + key);
    if (raw === null && key === "deadline") { return ["none"]; }
    if (raw === null && key === "unit") {
      var units = card.querySelector(".m-units");
      units = units && (units.querySelector("[lang]") || units);
      return units ? units.textContent.replace(/^责任单位：/, "").split("、") : [];
    }
    return raw ? raw.split(";") : [];
  }

  // The unit field's suggestions: every unit on the page, most frequent first, with how many cards name it.
  function suggestUnits(form, cards) {
    var list = form.querySelector("datalist");
    if (!list || list.children.length) { return; }
    var counts = {}, names = [];
    cards.forEach(function (card) {
      values(card, "unit").forEach(function (unit, index, all) {
        if (all.indexOf(unit) !== index) { return; }  // a unit named twice on one card counts once
        if (!counts.hasOwnProperty(unit)) { counts[unit] = 0; names.push(unit); }
        counts[unit] += 1;
      });
    });
    names.sort(function (a, b) { return counts[b] - counts[a]; });  // stable: ties keep page order
    names.forEach(function (unit) {
      var option = document.createElement("option");
      option.value = unit;
      option.textContent = unit + say().cards(counts[unit]);
      list.appendChild(option);
    });
  }

  function matches(card, choice) {
    return FIELDS.every(function (key) {
      var wanted = key === "county" ? choice.countyNumber : choice[key];  // a card holds its counties' numbers
      if (!wanted) { return true; }
      if (key === "unit") {  // typed text: any unit whose name contains it
        return values(card, key).some(function (unit) { return unit.indexOf(wanted) !== -1; });
      }
      return values(card, key).indexOf(wanted) !== -1;
    });
  }

  function readChoice(form) {
    var choice = {};
    FIELDS.forEach(function (key) {
      var field = form.elements[key];
      choice[key] = field ? field.value.trim() : "";
    });
    var county = form.elements.county;
    choice.countyNumber = county && county.value ? county.selectedOptions[0].getAttribute("data-number") : "";
    return choice;
  }

  function rememberChoice(form, choice) {
    try {
      var params = new URLSearchParams(window.location.search);
      FIELDS.forEach(function (key) {
        if (!form.elements[key]) { return; }  // another form's field keeps its value
        if (choice[key]) { params.set(key, choice[key]); } else { params.delete(key); }
      });
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    } catch (error) { /* some file:// contexts refuse replaceState: the filter still works */ }
  }

  function setFolded(group, folded) {
    group.classList.toggle("is-folded", folded);
    var button = group.querySelector(".measure-group__toggle");
    if (button) {
      button.setAttribute("aria-expanded", String(!folded));
      button.textContent = folded ? say().unfold : say().fold;
    }
  }

  function addToggle(group, index) {
    var heading = group.querySelector("h2, h3");
    var list = group.querySelector(".measure-list");
    if (!heading || !list) { return; }
    list.id = list.id || "measure-list-" + index;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "measure-group__toggle";
    button.setAttribute("aria-controls", list.id);
    button.addEventListener("click", function () {
      setFolded(group, !group.classList.contains("is-folded"));
    });
    heading.appendChild(button);
  }

  function setup(form) {
    if (form.dataset.ready) { return; }
    form.dataset.ready = "1";
    var root = form.parentElement;
    var groups = Array.prototype.slice.call(root.querySelectorAll(".measure-group"));
    var cards = Array.prototype.slice.call(root.querySelectorAll(".measure"));
    var output = form.querySelector("output");
    var toggleAll = form.querySelector("[data-toggle-all]");
    var total = cards.length;
    suggestUnits(form, cards);

    var long = total > FOLD_ABOVE;  // only a long list folds; a short one reads straight through
    if (long) { groups.forEach(addToggle); }

    function apply(remember) {
      var choice = readChoice(form);
      var active = FIELDS.some(function (key) { return choice[key]; });
      var shown = 0;
      cards.forEach(function (card) {
        var show = matches(card, choice);
        card.hidden = !show;
        if (show) { shown += 1; }
      });
      groups.forEach(function (group) {
        var count = group.querySelectorAll(".measure:not([hidden])").length;
        group.hidden = count === 0;
        var label = group.querySelector(".group-count");
        if (label) {
          var all = group.querySelectorAll(".measure").length;
          label.textContent = say().group(active ? count : null, all);
        }
        if (active) { setFolded(group, false); }
      });
      if (toggleAll && long) { toggleAll.textContent = groups.some(isOpen) ? say().foldAll : say().unfoldAll; }
      output.textContent = say().status(active ? shown : null, total);
      if (remember) { rememberChoice(form, choice); shareCounty(form, choice.county); }
    }
    forms.push({form: form, apply: apply});

    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (key) {
      var field = form.elements[key];
      if (field && params.get(key)) { field.value = params.get(key); }
    });

    form.addEventListener("input", function () { apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("reset", function () { window.setTimeout(function () { apply(true); }, 0); });

    if (toggleAll && long && groups.length > 1) {
      toggleAll.hidden = false;
      toggleAll.addEventListener("click", function () {
        var fold = groups.some(isOpen);
        groups.forEach(function (group) { setFolded(group, fold); });
        toggleAll.textContent = fold ? say().unfoldAll : say().foldAll;
      });
    }

    // A long list starts folded, except the group the address points into (a card or a group heading).
    var target = hashTarget();
    groups.forEach(function (group) {
      setFolded(group, long && !(target && group.contains(target)));
    });
    form.hidden = false;
    apply(false);
    if (target && groupOf(target)) { target.scrollIntoView(); }
    window.addEventListener("hashchange", function () {
      var element = hashTarget();
      var group = element && groupOf(element);
      if (group && group.classList.contains("is-folded")) {
        setFolded(group, false);
        element.scrollIntoView();
      }
    });
  }

  // The county chosen in one form, chosen in the others of the page (the measure lists' forms here, the project
  // tables' form.table-filter of assets/table-filters.js, which applies its own choice on a change event).
  function shareCounty(source, county) {
    forms.forEach(function (entry) {
      var field = entry.form.elements.county;
      if (entry.form === source || !field || field.value === county) { return; }
      field.value = county;
      if (field.value !== county) { field.value = ""; }  // a county the other list does not hold
      entry.apply(false);
    });
    Array.prototype.forEach.call(document.querySelectorAll("form.table-filter"), function (form) {
      var field = form.elements.county;
      if (form === source || !field || field.value === county) { return; }
      field.value = county;
      if (field.value !== county) { field.value = ""; }
      field.dispatchEvent(new Event("change", {bubbles: true}));
    });
  }

  function followTables() {
    Array.prototype.forEach.call(document.querySelectorAll("form.table-filter"), function (form) {
      if (form.dataset.shared || !form.elements.county) { return; }
      form.dataset.shared = "1";
      form.addEventListener("change", function (event) {
        if (event.target.name === "county") { shareCounty(form, event.target.value); }
      });
    });
  }

  function hashTarget() {
    var id = window.location.hash ? decodeURIComponent(window.location.hash.slice(1)) : "";
    return id ? document.getElementById(id) : null;
  }

  function isOpen(group) {
    return !group.hidden && !group.classList.contains("is-folded");
  }

  function groupOf(element) {
    return element.closest ? element.closest(".measure-group") : null;
  }

  function init() {
    forms = forms.filter(function (entry) { return document.body.contains(entry.form); });
    Array.prototype.forEach.call(document.querySelectorAll("form.measure-filters"), setup);
    followTables();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation, when it is switched on
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
