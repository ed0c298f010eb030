// Discipline: the charts of the lead list (by category), the plaques register (by decision) and the burden register
// (by issuing department, with duplicates). Each chart is a <div data-chart="bar|pie" data-source="<json_script id>">.
(function () {
  "use strict";
  function bar(data) {
    var series = [{ name: "事项", type: "bar", data: data.values }];
    if (data.dup) series.push({ name: "重复", type: "bar", data: data.dup });
    return {
      color: ["#c8161d", "#f59e0b"], tooltip: { trigger: "axis" }, legend: { show: !!data.dup, bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 70 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } }, yAxis: { type: "value", minInterval: 1 }, series: series
    };
  }
  function pie(data) {
    return {
      color: ["#94a3b8", "#16a34a", "#f59e0b", "#c8161d"], tooltip: { trigger: "item" }, legend: { bottom: 0 },
      series: [{ name: "清理结果", type: "pie", radius: ["35%", "65%"],
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; }) }]
    };
  }
  function draw() {
    if (!window.echarts) return;
    var targets = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < targets.length; i++) {
      var target = targets[i];
      var source = document.getElementById(target.getAttribute("data-source"));
      if (!source) continue;
      var data = JSON.parse(source.textContent);
      var chart = echarts.init(target);
      chart.setOption(target.getAttribute("data-chart") === "pie" ? pie(data) : bar(data));
      target.setAttribute("data-ready", "1");
      window.addEventListener("resize", chart.resize);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
