// Organizational life: the compliance trend chart (ECharts from our own static files; data from json_script).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("orglife-trend-data");
    var target = document.getElementById("orglife-trend");
    if (!source || !target || !window.echarts) return;
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
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
