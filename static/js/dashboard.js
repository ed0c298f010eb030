// Home dashboard charts (ECharts from our own static files; data from a json_script block).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var red = ["#c8161d", "#e0620d", "#f0a020", "#2f7ed8", "#0d9488", "#7c3aed", "#64748b", "#db2777", "#65a30d"];

    var category = echarts.init(document.getElementById("chart-category"));
    category.setOption({
      color: red,
      tooltip: { trigger: "item", formatter: "{b}：{c} 人（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: data.by_category, label: { formatter: "{b}\n{c}" } }]
    });

    var age = echarts.init(document.getElementById("chart-age"));
    age.setOption({
      color: ["#c8161d"],
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 16, top: 20, bottom: 30 },
      xAxis: { type: "category", data: data.by_age.labels },
      yAxis: { type: "value", name: "人" },
      series: [{ type: "bar", data: data.by_age.values, label: { show: true, position: "top" } }]
    });
    window.addEventListener("resize", function () { category.resize(); age.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
