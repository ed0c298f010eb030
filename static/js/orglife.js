// Organizational life charts (ECharts from our own static files; data from json_script, no inline scripts):
// the compliance trend, and the democratic appraisal roll-up as a stacked bar chart.
(function () {
  "use strict";
  function trend() {
    var source = document.getElementById("orglife-trend-data");
    var target = document.getElementById("orglife-trend");
    if (!source || !target) return null;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#c8161d"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      grid: { left: 50, right: 16, top: 20, bottom: 30 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ type: "line", data: data.values, connectNulls: false, label: { show: true, formatter: "{c}%" } }]
    });
    return chart;
  }
  function appraisal() {
    var source = document.getElementById("orglife-appraisal-data");
    var target = document.getElementById("orglife-appraisal-chart");
    if (!source || !target) return null;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#c8161d", "#16a34a", "#f59e0b", "#64748b"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 50, right: 16, top: 36, bottom: 60 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: "人", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "grade", data: s.data, emphasis: { focus: "series" } };
      })
    });
    return chart;
  }
  function draw() {
    if (!window.echarts) return;
    var charts = [trend(), appraisal()].filter(Boolean);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
