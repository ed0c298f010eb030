// Rectification oversight charts (ECharts from our own static files; data from a json_script block).
(function () {
  "use strict";
  function bar(id, rows, color) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el);
    chart.setOption({
      color: [color], tooltip: { trigger: "axis" }, grid: { left: 40, right: 16, top: 20, bottom: 90 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: "value", name: "个", minInterval: 1 },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }), label: { show: true, position: "top" } }]
    });
    return chart;
  }
  function draw() {
    var source = document.getElementById("rectification-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [bar("chart-stage", data.stages, "#c8161d"), bar("chart-problem", data.problems, "#e0620d")];
    window.addEventListener("resize", function () { charts.forEach(function (c) { if (c) c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
