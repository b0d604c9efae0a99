// Draws every chart of the page with ECharts. A chart is a <div data-chart="ID"
// data-spec="{title, kind, unit, labels, series: [{name, data, unit, mark, axis}]}"> (JSON
// in an attribute: htmx drops <script> blocks from swapped content while allowScriptTags is
// off, and the big screen refreshes by swapping); the same numbers are in the chart's table
// view. Re-draws after htmx swaps and when the window changes size.
//
// Numbers are written as projects/formats.py writes them (`fmt`): 亿元 with two decimals
// and thousands separators, rates with one decimal and "%", counts with separators.
// Red is the red light's colour and nothing else's: the series use blues, teal and violet.
// On the big screen the type scales with the screen (the chart's CSS font size: 28 px at
// 1920×1080) and a category label never overprints its neighbour: it wraps into lines that
// fit its slot (upright, one character a line at worst), and shrinks when even that is too
// wide; ECharts' hideOverlap stays on as the last guard.
(function () {
  "use strict";
  var charts = [];
  var LIGHT = ["#1f6fb2", "#12806f", "#6f52a3", "#52606d"];
  var DARK = ["#5aa9e6", "#4fd1b0", "#b39ddb", "#cfd8e3"];

  function big() {
    return document.body.classList.contains("bigscreen");
  }

  var grouping = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  var money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function fmt(value, unit) {
    if (value === null || value === undefined || value === "") return "—";
    var n = Number(value);
    if (unit === "%") return n.toFixed(1) + "%";
    if (unit === "亿元") return money.format(n);
    return grouping.format(n);
  }

  // Runs of digits and Latin letters stay together ("≥10亿", "12"); about half as wide.
  function tokens(text) {
    return String(text).match(/[\x20-\x7e≥≤]+|./g) || [];
  }

  function width(token, size) {
    return /^[\x20-\x7e≥≤]+$/.test(token) ? token.length * size * 0.6 : token.length * size;
  }

  function textWidth(text, size) {
    return tokens(text).reduce(function (w, t) { return w + width(t, size); }, 0);
  }

  function wrap(slot, size) {
    return function (value) {
      var lines = [""];
      var used = 0;
      tokens(value).forEach(function (token) {
        // A run wider than the slot is cut into characters too.
        var parts = width(token, size) > slot ? token.split("") : [token];
        parts.forEach(function (part) {
          var w = width(part, size);
          if (used > 0 && used + w > slot) {
            lines.push("");
            used = 0;
          }
          lines[lines.length - 1] += part;
          used += w;
        });
      });
      return lines.join("\n");
    };
  }

  // The widest value-axis label, roughly: the largest value with separators.
  function valueAxisWidth(spec, axis, size) {
    var max = 0;
    spec.series.forEach(function (s) {
      if ((s.axis || 0) !== axis) return;
      s.data.forEach(function (v) { if (v !== null && Math.abs(v) > max) max = Math.abs(v); });
    });
    return textWidth(grouping.format(Math.ceil(max * 1.2)), size) + size * 0.8;
  }

  function legendRows(spec, size, available) {
    if (spec.series.length < 2) return 0;
    var rows = 1;
    var used = 0;
    spec.series.forEach(function (s) {
      var w = textWidth(s.name, size) + size * 2.2;
      if (used > 0 && used + w > available) { rows += 1; used = 0; }
      used += w;
    });
    return rows;
  }

  // A category label in a slot `band` pixels wide: wrapped to the slot, the type shrunk
  // until one character fits it.
  function fitLabels(axisLabel, spec, band, size, screen) {
    var slot = Math.max(band - 6, 4);
    var labelSize = Math.max(8, Math.min(size, Math.floor(slot)));
    // A short number ("12", "≥10") is never cut in two: the type shrinks until it fits.
    spec.labels.forEach(function (label) {
      tokens(label).forEach(function (token) {
        if (token.length > 1 && token.length <= 4 && /^[\x20-\x7e≥≤]+$/.test(token)) {
          labelSize = Math.max(8, Math.min(labelSize, Math.floor(slot / (token.length * 0.6))));
        }
      });
    });
    if (screen || spec.labels.some(function (l) { return textWidth(l, size) > slot; })) {
      axisLabel.fontSize = labelSize;
      axisLabel.lineHeight = Math.round(labelSize * 1.1);
      axisLabel.formatter = wrap(slot, labelSize);
    }
    return axisLabel;
  }

  // After the first layout: the slots as ECharts laid them out (the estimate of the value
  // axes' width may be off by a few pixels), and the labels fitted to them.
  function refit(chart, spec) {
    if (spec.kind === "hbar" || spec.labels.length < 2) return;
    var band = Math.abs(chart.convertToPixel({ xAxisIndex: 0 }, spec.labels[1]) -
                        chart.convertToPixel({ xAxisIndex: 0 }, spec.labels[0]));
    if (!(band > 0)) return;
    var current = chart.getOption().xAxis[0].axisLabel;
    var size = big() ? Math.max(10, Math.round(parseFloat(getComputedStyle(chart.getDom()).fontSize))) : 12;
    var axisLabel = fitLabels({ fontSize: current.fontSize }, spec, band, size, big());
    if (axisLabel.formatter) chart.setOption({ xAxis: [{ axisLabel: axisLabel }] });
  }

  function option(spec, el) {
    var screen = big();
    var palette = screen ? DARK : LIGHT;
    var text = screen ? "#e8eef7" : "#1a1a1a";
    var grid = screen ? "#2c5288" : "#ddd";
    var size = screen ? Math.max(10, Math.round(parseFloat(getComputedStyle(el).fontSize))) : 12;
    var horizontal = spec.kind === "hbar";
    var twoAxes = spec.series.some(function (s) { return s.axis === 1; });
    var n = Math.max(spec.labels.length, 1);
    var W = el.clientWidth;
    var H = el.clientHeight;
    var pad = Math.round(size * 0.4);
    var rows = legendRows(spec, size, W - 2 * pad);
    var top = rows ? rows * (size + 8) + pad + size * 0.6 : size * 0.8;
    var labelSize = size;
    var category = {
      type: "category",
      data: spec.labels,
      inverse: horizontal,
      axisTick: { alignWithLabel: true },
      axisLabel: { color: text, fontSize: size, interval: 0, lineHeight: Math.round(size * 1.1) }
    };
    var right = pad + (twoAxes ? 0 : size * 0.5);
    if (horizontal) {
      // Rows down the side: the type fits the row; the value sits at the bar's end.
      var rowHeight = (H - top - size * 1.6) / n;
      labelSize = Math.max(8, Math.min(size, Math.floor(rowHeight * 0.8)));
      category.axisLabel.fontSize = labelSize;
      category.axisLabel.lineHeight = labelSize + 2;
      var widest = 0;
      spec.series.forEach(function (s) {
        s.data.forEach(function (v) { widest = Math.max(widest, textWidth(fmt(v, s.unit), labelSize)); });
      });
      right = pad + widest + labelSize * 0.6;
    } else {
      var plot = W - 2 * pad - valueAxisWidth(spec, 0, size) - (twoAxes ? valueAxisWidth(spec, 1, size) : right);
      fitLabels(category.axisLabel, spec, plot / n, size, screen);
      labelSize = category.axisLabel.fontSize;
    }
    function valueAxis(axis) {
      var unit = (spec.series.filter(function (s) { return (s.axis || 0) === axis; })[0] || {}).unit;
      return {
        type: "value",
        splitNumber: horizontal ? 3 : 4,
        minInterval: unit === "个" ? 1 : 0,
        // A rate axis ends at 100% unless a rate passes it (completion can).
        max: unit === "%" ? function (extent) { return extent.max <= 100 ? 100 : null; } : null,
        axisLabel: {
          color: text, fontSize: size, hideOverlap: true,
          formatter: function (v) { return unit === "%" ? v + "%" : grouping.format(v); }
        },
        splitLine: { show: axis === 0, lineStyle: { color: grid } }
      };
    }
    var value = twoAxes ? [valueAxis(0), valueAxis(1)] : valueAxis(0);
    var few = spec.labels.length <= (horizontal ? 16 : screen ? 6 : 12);
    return {
      backgroundColor: "transparent",
      animation: !screen,
      textStyle: { color: text, fontSize: size },
      color: palette,
      tooltip: { trigger: "axis", textStyle: { fontSize: size } },
      legend: {
        show: rows > 0, top: 0, itemWidth: size, itemHeight: Math.round(size * 0.7), itemGap: size,
        textStyle: { color: text, fontSize: size }
      },
      grid: { left: pad, right: right, top: top, bottom: pad, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s, i) {
        var line = s.mark === "line";
        return {
          name: s.name,
          type: line ? "line" : "bar",
          xAxisIndex: horizontal ? (s.axis || 0) : 0,
          yAxisIndex: horizontal ? 0 : (s.axis || 0),
          data: s.data,
          symbolSize: Math.round(size * 0.4),
          lineStyle: line ? { width: Math.max(2, Math.round(size / 8)), type: s.axis ? "dashed" : "solid" } : undefined,
          barMaxWidth: size * 2.5,
          tooltip: { valueFormatter: function (v) { return fmt(v, s.unit) + (s.unit === "%" ? "" : s.unit); } },
          label: {
            show: spec.series.length === 1 && few,
            position: horizontal ? "right" : "top",
            color: text,
            fontSize: labelSize,
            formatter: function (p) { return fmt(p.value, s.unit); }
          },
          itemStyle: { color: palette[i % palette.length] }
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
      refit(chart, spec);
      chart.__spec = spec;
      charts.push(chart);
    });
  }

  var pending = null;
  function redraw() {
    // The layout (the type, the wrapping) depends on the size: set the options again.
    charts.forEach(function (c) {
      c.resize();
      if (c.__spec) {
        c.setOption(option(c.__spec, c.getDom()), true);
        refit(c, c.__spec);
      }
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // The formatter, for the test that holds it to projects/formats.py.
  window.xiaonengCharts = { fmt: fmt };

  ready(function () {
    drawAll(document);
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(redraw, 100);
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      drawAll(event.target);
    });
  });
})();
