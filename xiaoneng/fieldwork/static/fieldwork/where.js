// Draws the "where leaders went" bars with the vendored ECharts: each
// <div data-where-chart data-spec="{labels, series: [{name, data}]}"> (the same numbers are
// in the table under it). Horizontal bars, so long county names stay readable on a phone.
(function () {
  "use strict";
  var charts = [];
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-where-chart]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-spec"));
      el.style.height = Math.max(192, 40 + spec.labels.length * 36) + "px";
      var chart = window.echarts.init(el);
      chart.setOption({
        color: ["#1f6fb2", "#12806f"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: spec.labels, inverse: true },
        series: spec.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.data, label: { show: true, position: "right" } };
        })
      });
      charts.push(chart);
    });
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
