// Membership statistics charts (ECharts from our own static files; data from the json_script block
// "statistics-data": [{id, type: "pie" | "bar", title, labels, values}]).
(function () {
  "use strict";
  var colors = ["#c8161d", "#e0620d", "#f0a020", "#2f7ed8", "#0d9488", "#7c3aed", "#64748b", "#db2777", "#65a30d", "#0891b2"];

  function pie(spec) {
    var data = spec.labels.map(function (label, i) { return { name: label, value: spec.values[i] }; })
      .filter(function (item) { return item.value > 0; });
    return {
      color: colors,
      tooltip: { trigger: "item", formatter: "{b}：{c} 人（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "62%"], center: ["50%", "45%"], data: data, label: { formatter: "{b}\n{c}" } }]
    };
  }

  function bar(spec) {
    var long = spec.labels.some(function (label) { return label.length > 6; });
    return {
      color: ["#c8161d"],
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 16, top: 20, bottom: long ? 70 : 30 },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: long ? 30 : 0 } },
      yAxis: { type: "value", name: "人" },
      series: [{ type: "bar", data: spec.values, label: { show: true, position: "top" } }]
    };
  }

  function draw() {
    var source = document.getElementById("statistics-data");
    if (!source || !window.echarts) return;
    var charts = [];
    JSON.parse(source.textContent).forEach(function (spec) {
      var element = document.getElementById(spec.id);
      if (!element) return;
      var chart = echarts.init(element);
      chart.setOption(spec.type === "pie" ? pie(spec) : bar(spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
