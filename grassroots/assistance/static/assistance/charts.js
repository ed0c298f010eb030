(function () {
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function coverage() {
    var d = data("coverage-data"), target = document.getElementById("coverage-chart");
    if (!d || !target) return null;
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#16a34a", "#c8161d", "#2563eb", "#f59e0b"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 40 },
      xAxis: { type: "category", data: d.labels }, yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "单位已结对", type: "bar", stack: "units", data: d.units },
        { name: "单位未结对", type: "bar", stack: "units", data: d.units_gap },
        { name: "贫困/整顿村已结对", type: "bar", stack: "needy", data: d.needy },
        { name: "贫困/整顿村缺口", type: "bar", stack: "needy", data: d.needy_gap }
      ]
    });
    return chart;
  }
  function bars(dataId, chartId, max, markLine) {
    var d = data(dataId), target = document.getElementById(chartId);
    if (!d || !target) return null;
    var chart = echarts.init(target);
    var series = { type: "bar", data: d.values, label: { show: true } };
    if (markLine) series.markLine = { data: [{ yAxis: d.required, name: "最低" }], lineStyle: { color: "#c8161d" } };
    chart.setOption({
      color: ["#c8161d"], tooltip: { trigger: "axis" }, grid: { left: 40, right: 16, top: 20, bottom: 60 },
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", min: 0, max: max }, series: [series]
    });
    return chart;
  }
  function draw() {
    if (!window.echarts) return;
    var charts = [coverage(), bars("bulletin-data", "bulletin-chart", 100, false), bars("attendance-data", "attendance-chart", 31, true)].filter(Boolean);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
