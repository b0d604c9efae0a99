// Draws every chart of the page with ECharts. A chart is a <div data-chart="ID"
// data-spec="{title, kind, unit, labels, series: [{name, data}]}"> (JSON in an attribute:
// htmx drops <script> blocks from swapped content while allowScriptTags is off, and the
// big screen refreshes by swapping); the same numbers are in the chart's table view.
// Re-draws after htmx swaps.
(function () {
  "use strict";
  var charts = [];

  function big() {
    return document.body.classList.contains("bigscreen");
  }

  // The big screen never rotates a label: a label wider than its slot is written in
  // lines that fit (one character a line at worst: upright, top to bottom). Runs of digits
  // and Latin letters stay together ("≥10亿", "12"); they are about half as wide.
  function tokens(text) {
    return String(text).match(/[\x20-\x7e≥≤]+|./g) || [];
  }

  function width(token, size) {
    return /^[\x20-\x7e≥≤]+$/.test(token) ? token.length * size * 0.6 : token.length * size;
  }

  function stacked(slot, size) {
    return function (value) {
      var lines = [""];
      var used = 0;
      tokens(value).forEach(function (token) {
        var w = width(token, size);
        if (used > 0 && used + w > slot) {
          lines.push("");
          used = 0;
        }
        lines[lines.length - 1] += token;
        used += w;
      });
      return lines.join("\n");
    };
  }

  function option(spec, el) {
    var screen = big();
    var text = screen ? "#e8eef7" : "#1a1a1a";
    var size = screen ? 28 : 12;
    var horizontal = spec.kind === "hbar";
    var many = spec.series.length > 1;
    var twoAxes = spec.series.some(function (s) { return s.axis === 1; });
    var category = {
      type: "category",
      data: spec.labels,
      inverse: horizontal,
      axisLabel: { color: text, fontSize: size, interval: 0, lineHeight: size + 2 }
    };
    if (screen && !horizontal) {
      var slot = (el.clientWidth * (twoAxes ? 0.7 : 0.82)) / Math.max(spec.labels.length, 1);
      category.axisLabel.formatter = stacked(Math.max(slot - 4, size), size);
    } else if (!screen) {
      category.axisLabel.rotate = spec.labels.length > 8 ? 40 : 0;
    }
    var value = twoAxes
      ? [
          // On the big screen the units are in the legend ("项目数（个）"): no axis names.
          { type: "value", name: screen ? "" : "亿元", axisLabel: { color: text, fontSize: size }, nameTextStyle: { color: text, fontSize: size }, splitLine: { lineStyle: { color: screen ? "#24487f" : "#ddd" } } },
          { type: "value", name: screen ? "" : "个", splitLine: { show: false }, axisLabel: { color: text, fontSize: size }, nameTextStyle: { color: text, fontSize: size } }
        ]
      : { type: "value", axisLabel: { color: text, fontSize: size }, splitLine: { lineStyle: { color: screen ? "#24487f" : "#ddd" } } };
    return {
      backgroundColor: "transparent",
      textStyle: { color: text, fontSize: size },
      color: ["#ef5350", "#42a5f5", "#66bb6a", "#ffa726", "#ab47bc"],
      tooltip: { trigger: "axis" },
      legend: { show: many, top: 0, itemWidth: screen ? 28 : 25, itemHeight: screen ? 18 : 14, textStyle: { color: text, fontSize: size } },
      grid: { left: 8, right: horizontal ? size * 3 : 16, top: many ? size * 2 + 8 : size, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: spec.kind === "line" ? "line" : "bar",
          xAxisIndex: horizontal ? (s.axis || 0) : 0,
          yAxisIndex: horizontal ? 0 : (s.axis || 0),
          data: s.data,
          label: {
            show: !many && spec.labels.length <= (screen ? (horizontal ? 10 : 6) : 20),
            position: horizontal ? "right" : "top",
            color: text,
            fontSize: size
          }
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
    (root || document).querySelectorAll("[data-chart][data-spec]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-spec"));
      var existing = window.echarts.getInstanceByDom(el);
      if (existing) existing.dispose();
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(spec, el));
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
