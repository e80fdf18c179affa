/* The 落实追踪 charts, drawn with Chart.js from the tables beside them: each figure.atlas-chart holds a table whose
   column heads carry the series colours (data-series) and whose rows are the bars, so the chart and its table can
   never disagree. Without JavaScript (or without Chart.js) the tables show alone.

   Printing: Chart.js draws on a canvas at the screen's resolution; before printing each chart is drawn again at three
   times that, so the printed bars and labels stay sharp, and afterwards as before. */
(function () {
  "use strict";

  var charts = [];

  function read(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var series = [];
    heads.forEach(function (head, index) {
      if (head.hasAttribute("data-series")) {
        series.push({index: index, label: head.textContent.trim(), color: head.getAttribute("data-series"), data: []});
      }
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.children;
      labels.push(cells[0].textContent.trim());
      series.forEach(function (s) { s.data.push(Number(cells[s.index].textContent)); });
    });
    return {labels: labels, series: series};
  }

  function draw(figure) {
    var holder = figure.querySelector(".atlas-chart__drawing");
    var table = figure.querySelector("table");
    if (!holder || !table || holder.firstChild) {
      return;
    }
    var data = read(table);
    var canvas = document.createElement("canvas");
    holder.appendChild(canvas);
    var font = getComputedStyle(document.body).fontFamily;
    charts.push(new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s) {
          return {label: s.label, data: s.data, backgroundColor: s.color, borderWidth: 0, barPercentage: 0.8};
        })
      },
      options: {
        indexAxis: "y",
        locale: "zh-CN",
        maintainAspectRatio: false,
        animation: false,
        font: {family: font},
        scales: {
          x: {stacked: true, beginAtZero: true, ticks: {precision: 0, font: {family: font}}},
          y: {stacked: true, ticks: {autoSkip: false, font: {family: font}}}
        },
        plugins: {
          legend: {position: "top", labels: {boxWidth: 14, font: {family: font}}},
          tooltip: {mode: "index", intersect: false}
        }
      }
    }));
    figure.classList.add("atlas-chart--drawn");
  }

  function start() {
    if (!window.Chart) {  // the tables alone
      document.querySelectorAll("figure.atlas-chart").forEach(function (figure) {
        figure.classList.add("atlas-chart--bare");
      });
      return;
    }
    document.querySelectorAll("figure.atlas-chart").forEach(draw);
  }

  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) {
      chart.options.devicePixelRatio = 3;
      chart.resize();
    });
  });
  window.addEventListener("afterprint", function () {
    charts.forEach(function (chart) {
      chart.options.devicePixelRatio = window.devicePixelRatio;
      chart.resize();
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
