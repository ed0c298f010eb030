// Results of a ballot round as a stacked horizontal bar chart (ECharts from our own static files; data from
// json_script, no inline script). Every element with data-ballot-chart="<id of its json_script>" gets a chart.
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    var charts = [];
    document.querySelectorAll("[data-ballot-chart]").forEach(function (target) {
      if (target.dataset.drawn) return;
      var source = document.getElementById(target.dataset.ballotChart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      target.dataset.drawn = "1";
      target.style.height = Math.max(160, 60 + data.subjects.length * 44) + "px";
      var chart = echarts.init(target);
      chart.setOption({
        color: ["#c8161d", "#f59e0b", "#64748b", "#0f766e", "#334155", "#a855f7"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 90, right: 20, top: 36, bottom: 20 },
        xAxis: { type: "value", name: "票", minInterval: 1 },
        yAxis: { type: "category", data: data.subjects, inverse: true },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "grade", data: s.data, label: { show: true, formatter: function (p) { return p.value || ""; } } };
        })
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
