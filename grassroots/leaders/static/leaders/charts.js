// Leaders charts (ECharts from our own static files; data from the json_script block "leaders-chart").
(function () {
  "use strict";
  function bar(id, rows, unit) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el);
    chart.setOption({
      color: ["#c8161d"], tooltip: { trigger: "axis" }, grid: { left: 40, right: 16, top: 20, bottom: 70 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value", name: unit, minInterval: 1 },
      series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }), label: { show: true, position: "top" } }]
    });
    return chart;
  }
  function draw() {
    var source = document.getElementById("leaders-chart");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    if (data.stages) charts.push(bar("chart-stages", data.stages, "个"));
    if (data.composition) charts.push(bar("chart-composition", data.composition, "人"));
    if (data.sources) charts.push(bar("chart-sources", data.sources, "人"));
    window.addEventListener("resize", function () { charts.forEach(function (c) { if (c) c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
