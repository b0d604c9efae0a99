// Draws every chart of the page with ECharts. A chart is a <div data-chart="ID"> next to
// <script type="application/json" id="ID"> (Django's json_script) holding
// {title, kind, unit, labels, series: [{name, data}]}; the same numbers are in the
// chart's table view. Re-draws after htmx swaps (the big screen refreshes itself).
(function () {
  "use strict";
  var charts = [];

  function dark() {
    return document.body.classList.contains("bigscreen");
  }

  function option(spec) {
    var big = dark();
    var text = big ? "#e8eef7" : "#1a1a1a";
    var size = big ? 20 : 12;
    return {
      backgroundColor: "transparent",
      textStyle: { color: text, fontSize: size },
      color: ["#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a"],
      tooltip: { trigger: "axis" },
      legend: { show: spec.series.length > 1, top: 0, textStyle: { color: text, fontSize: size } },
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 40 : 16, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.labels,
        axisLabel: { color: text, fontSize: size, interval: 0, rotate: spec.labels.length > 8 ? 40 : 0 }
      },
      yAxis: spec.series.some(function (s) { return s.axis === 1; })
        ? [
            { type: "value", name: "亿元", axisLabel: { color: text, fontSize: size }, nameTextStyle: { color: text } },
            { type: "value", name: "个", splitLine: { show: false }, axisLabel: { color: text, fontSize: size }, nameTextStyle: { color: text } }
          ]
        : { type: "value", axisLabel: { color: text, fontSize: size } },
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: spec.kind === "line" ? "line" : "bar",
          yAxisIndex: s.axis || 0,
          data: s.data,
          label: { show: spec.series.length === 1 && spec.labels.length <= 20, position: "top", color: text, fontSize: size }
        };
      })
    };
  }

  function drawAll(root) {
    if (!window.echarts) return;
    charts = charts.filter(function (c) {
      if (!document.body.contains(c.getDom())) { c.dispose(); return false; }
      return true;
    });
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var existing = window.echarts.getInstanceByDom(el);
      if (existing) existing.dispose();
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(spec));
      charts.push(chart);
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    drawAll(document);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      drawAll(event.target);
    });
  });
})();
