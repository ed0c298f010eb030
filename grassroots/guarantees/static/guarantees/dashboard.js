(function () {
  function draw() {
    var source = document.getElementById("guarantees-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var orgs = echarts.init(document.getElementById("chart-guarantees-orgs"));
    orgs.setOption({ title: { text: "有未达标项的单位 / 资金缺口" }, tooltip: {}, legend: { top: 24 }, grid: { top: 60 },
      xAxis: { type: "category", data: data.orgs }, yAxis: [{ type: "value" }, { type: "value" }],
      series: [{ name: "未达标单位", type: "bar", data: data.failing }, { name: "资金缺口（元）", type: "line", yAxisIndex: 1, data: data.gap }] });
    var items = echarts.init(document.getElementById("chart-guarantees-items"));
    items.setOption({ title: { text: "各项目未达标单位" }, tooltip: {}, grid: { left: 140 },
      yAxis: { type: "category", data: data.items }, xAxis: { type: "value" }, series: [{ type: "bar", data: data.item_failing }] });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
