// Supervision: the completion chart of a notice (receipts by state, and signed / reported / closed).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("completion-data");
    var target = document.getElementById("completion-chart");
    if (!source || !target || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#16a34a", "#f59e0b", "#c8161d", "#94a3b8"],
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        name: "签收", type: "pie", radius: ["35%", "60%"], center: ["30%", "45%"],
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; })
      }, {
        name: "落实", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: data.bar_values, itemStyle: { color: "#c8161d" }
      }],
      grid: { left: "60%", right: 16, top: 16, bottom: 50 },
      xAxis: { type: "category", data: data.bars },
      yAxis: { type: "value", max: data.total || 1, minInterval: 1 }
    });
    target.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
