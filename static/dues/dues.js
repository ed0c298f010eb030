// Dues: the monthly collection chart (due and paid per month) of the roll-up page, and on the collection page
// a button that fills every empty amount with the amount due (the usual case: everybody pays what they owe).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-due]");
    if (!button) return;
    var form = button.closest("form");
    form.querySelectorAll("input.money").forEach(function (input) {
      if (!input.value && input.placeholder) input.value = input.placeholder;
    });
  });
  function draw() {
    var source = document.getElementById("dues-monthly-data");
    var target = document.getElementById("dues-monthly-chart");
    if (!source || !target || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target);
    chart.setOption({
      color: ["#94a3b8", "#c8161d"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 36, bottom: 30 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: "元" },
      series: [
        { name: "应交", type: "bar", data: data.due.map(Number) },
        { name: "实交", type: "bar", data: data.paid.map(Number) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
