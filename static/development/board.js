// Member development board: applicants per stage in each child organization, as a stacked bar chart.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("development-board-data");
    var target = document.getElementById("development-board-chart");
    if (!source || !target || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#cbd5e1", "#fbbf24", "#f59e0b", "#ef4444", "#c8161d"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", name: "人", minInterval: 1 },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "stage", data: s.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
