// 四议两公开 oversight charts (ECharts from our own static files; data from a json_script block).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("oversight-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var stage = echarts.init(document.getElementById("chart-stage"));
    stage.setOption({
      color: ["#c8161d"],
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 20, bottom: 80 },
      xAxis: { type: "category", data: data.stages.map(function (r) { return r[0]; }), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: "value", name: "件", minInterval: 1 },
      series: [{ type: "bar", data: data.stages.map(function (r) { return r[1]; }), label: { show: true, position: "top" } }]
    });
    var category = echarts.init(document.getElementById("chart-category"));
    category.setOption({
      color: ["#c8161d", "#e0620d", "#f0a020", "#2f7ed8", "#0d9488", "#7c3aed", "#64748b"],
      tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "42%"],
        data: data.categories.filter(function (r) { return r[1] > 0; }).map(function (r) { return { name: r[0], value: r[1] }; }) }]
    });
    window.addEventListener("resize", function () { stage.resize(); category.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
