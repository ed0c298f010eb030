// Discipline: the chart of leads by category on the lead list.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("leads-data");
    var target = document.getElementById("leads-chart");
    if (!source || !target || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#c8161d"], tooltip: { trigger: "axis" }, grid: { left: 40, right: 16, top: 16, bottom: 60 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } }, yAxis: { type: "value", minInterval: 1 },
      series: [{ name: "线索", type: "bar", data: data.values }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
