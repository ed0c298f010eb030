// 双报到 statistics: registered members and service hours per organization.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("volunteering-data");
    var target = document.getElementById("volunteering-chart");
    if (!source || !target || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 36, bottom: 60 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", name: "人", minInterval: 1 }, { type: "value", name: "小时" }],
      series: [
        { name: "已报到人数", type: "bar", data: data.registered, itemStyle: { color: "#c8161d" } },
        { name: "服务时长", type: "line", yAxisIndex: 1, data: data.hours, itemStyle: { color: "#d97706" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
