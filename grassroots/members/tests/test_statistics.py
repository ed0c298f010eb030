"""Membership statistics: exact counts and percentages on a small known dataset, one query for all dimensions,
scoped pages and API, the Excel workbook with one sheet per dimension."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.conftest import make_member, make_org, make_user
from grassroots.core.models import AuditLog
from grassroots.members import statistics
from grassroots.members.choices import Gender, State, Status
from grassroots.members.stats import years_ago
from grassroots.orgs import summaries

pytestmark = pytest.mark.django_db

M, F = Gender.MALE, Gender.FEMALE


def born(age):
    """A birth date giving exactly `age` completed years today."""
    return years_ago(timezone.localdate(), age) - datetime.timedelta(days=10)


def person(org, name, gender, ethnicity, age, education, occupation, joined, status=Status.FULL, state=State.NORMAL):
    full_on = None if status == Status.PROBATIONARY else joined.replace(year=joined.year + 1)
    return make_member(org, name, gender=gender, ethnicity=ethnicity, birth_date=born(age), education=education,
                       occupation=occupation, joined_on=joined, full_on=full_on, status=status, state=state)


@pytest.fixture
def dataset(tree):
    d = datetime.date
    recent = timezone.localdate() - datetime.timedelta(days=100)
    person(tree.branch_a, "甲", M, "01", 30, "bachelor", "worker", d(2018, 7, 1))
    person(tree.branch_a, "乙", F, "01", 40, "college", "professional", d(2005, 6, 30))
    person(tree.group_a, "丙", F, "03", 50, "", "farmer", d(2012, 10, 31), state=State.FLOATING)
    person(tree.branch_b, "丁", M, "01", 60, "high_school", "retired", d(2012, 11, 1))
    person(tree.branch_b, "戊", M, "11", 70, "junior_high", "retired", d(1976, 10, 31), state=State.LOST_CONTACT)
    person(tree.branch_b, "己", M, "01", 96, "primary", "retired", d(1949, 9, 30))
    person(tree.village, "庚", M, "01", 25, "postgraduate", "civil_servant", recent, status=Status.PROBATIONARY)
    person(tree.branch_a, "辛", F, "03", 34, "bachelor", "", d(2015, 1, 1))
    gone = person(tree.branch_b, "壬", M, "01", 80, "primary", "retired", d(1970, 1, 1))
    gone.state, gone.left_reason, gone.left_on = State.LEFT, "deceased", d(2025, 1, 1)
    gone.save()
    person(tree.b_branch, "癸", F, "01", 45, "bachelor", "worker", d(2010, 7, 1))  # another district: not counted
    return tree


def table(stats, key):
    dimension = next(d for d in stats.dimensions if d.key == key)
    return [(r.label, r.count, str(r.percent)) for r in dimension.rows]


EXPECTED = {
    "gender": [("男", 5, "62.5"), ("女", 3, "37.5")],
    "ethnicity": [("汉族", 5, "62.5"), ("回族", 2, "25.0"), ("满族", 1, "12.5")],
    "age": [("35岁以下", 3, "37.5"), ("35-45岁", 1, "12.5"), ("46-55岁", 1, "12.5"), ("56-65岁", 1, "12.5"), ("66岁及以上", 2, "25.0")],
    "education": [("研究生", 1, "12.5"), ("大学本科", 2, "25.0"), ("大学专科", 1, "12.5"), ("中等专科", 0, "0.0"), ("高中", 1, "12.5"),
                  ("初中", 1, "12.5"), ("小学及以下", 1, "12.5"), ("未填写", 1, "12.5")],
    "occupation": [("工人", 1, "12.5"), ("农牧渔民", 1, "12.5"), ("专业技术人员", 1, "12.5"), ("企事业单位管理人员", 0, "0.0"),
                   ("党政机关工作人员", 1, "12.5"), ("学生", 0, "0.0"), ("军人、武警", 0, "0.0"), ("离退休人员", 3, "37.5"),
                   ("其他职业人员", 0, "0.0"), ("未填写", 1, "12.5")],
    "joining_period": [("1949年10月以前", 1, "12.5"), ("1949年10月至1966年4月", 0, "0.0"), ("1966年5月至1976年10月", 1, "12.5"),
                       ("1976年11月至1978年12月", 0, "0.0"), ("1979年1月至2002年10月", 0, "0.0"),
                       ("2002年11月至2012年10月", 2, "25.0"), ("2012年11月以来", 4, "50.0")],
    "status": [("预备党员", 1, "12.5"), ("正式党员", 7, "87.5")],
    "state": [("正常", 6, "75.0"), ("流动", 1, "12.5"), ("失联", 1, "12.5")],
}


def test_known_dataset_exact_counts_and_percentages(dataset):
    stats = statistics.compute(dataset.village)
    assert stats.total == 8 and stats.left_register == 1
    assert [d.key for d in stats.dimensions] == list(EXPECTED)
    for key, rows in EXPECTED.items():
        assert table(stats, key) == rows, key
    ethnicity = next(d for d in stats.dimensions if d.key == "ethnicity")
    assert [(r.label, r.count, str(r.percent)) for r in ethnicity.summary] == [("少数民族合计", 3, "37.5")]
    state = next(d for d in stats.dimensions if d.key == "state")
    assert state.note == "另有已出党 1 名，不计入以上统计"

    branch_b = statistics.compute(dataset.branch_b)
    assert branch_b.total == 3 and table(branch_b, "gender") == [("男", 3, "100.0"), ("女", 0, "0.0")]
    assert table(branch_b, "ethnicity") == [("汉族", 2, "66.7"), ("满族", 1, "33.3")]
    city = statistics.compute(dataset.city)
    assert city.total == 9 and table(city, "gender") == [("男", 5, "55.6"), ("女", 4, "44.4")]


@pytest.mark.parametrize("joined, label", [
    (datetime.date(1949, 9, 30), "1949年10月以前"),
    (datetime.date(1949, 10, 1), "1949年10月至1966年4月"),
    (datetime.date(1966, 4, 30), "1949年10月至1966年4月"),
    (datetime.date(1966, 5, 1), "1966年5月至1976年10月"),
    (datetime.date(1976, 10, 31), "1966年5月至1976年10月"),
    (datetime.date(1976, 11, 1), "1976年11月至1978年12月"),
    (datetime.date(1978, 12, 31), "1976年11月至1978年12月"),
    (datetime.date(1979, 1, 1), "1979年1月至2002年10月"),
    (datetime.date(2002, 10, 31), "1979年1月至2002年10月"),
    (datetime.date(2002, 11, 1), "2002年11月至2012年10月"),
    (datetime.date(2012, 10, 31), "2002年11月至2012年10月"),
    (datetime.date(2012, 11, 1), "2012年11月以来"),
])
def test_joining_periods_of_the_statistical_bulletin(tree, joined, label):
    make_member(tree.branch_a, joined_on=joined, full_on=None, birth_date=datetime.date(1925, 1, 1))
    counted = [r.label for r in next(d for d in statistics.compute(tree.branch_a).dimensions if d.key == "joining_period").rows if r.count]
    assert counted == [label]


@pytest.mark.parametrize("age, label", [(34, "35岁以下"), (35, "35-45岁"), (45, "35-45岁"), (46, "46-55岁"), (65, "56-65岁"), (66, "66岁及以上")])
def test_age_bands_on_the_birthday(tree, age, label):
    make_member(tree.branch_a, birth_date=years_ago(timezone.localdate(), age))  # exactly `age` today
    counted = [r.label for r in next(d for d in statistics.compute(tree.branch_a).dimensions if d.key == "age").rows if r.count]
    assert counted == [label]


@pytest.mark.parametrize("count, total, expected", [(1, 8, "12.5"), (1, 3, "33.3"), (2, 3, "66.7"), (1, 16, "6.3"), (0, 0, "0.0"), (7, 7, "100.0")])
def test_percent_rounds_half_up(count, total, expected):
    assert statistics.percent(count, total) == Decimal(expected)


def test_one_query_for_all_dimensions_once_the_figures_are_kept(dataset, people):
    first = statistics.compute(dataset.city)  # counts the townships and keeps the figures (orgs/summaries.py)
    with CaptureQueriesContext(connection) as ctx:
        again = statistics.compute(dataset.city)
    assert len(ctx.captured_queries) == 1
    assert again.total == first.total > 0
    assert [d.rows for d in again.dimensions] == [d.rows for d in first.dimensions]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_page_uses_a_fixed_number_of_queries(client, dataset, people):
    client.force_login(people.city_dept)
    urls = [f"/members/statistics/{dataset.village.pk}/", "/members/statistics/", "/api/v1/members/statistics"]
    for url in urls:
        client.get(url)  # the first reader keeps the figures (grassroots/orgs/summaries.py)
    few = [_queries(client, url) for url in urls]
    for i in range(10):
        branch = make_org(people.admin, dataset.village, f"新村增设第{i}党支部", f"S9{i:03d}")
        person(branch, f"增{i}", F, f"{i + 2:02d}", 20 + 5 * i, "bachelor", "worker", datetime.date(2010, 7, 1))
    summaries.refresh()  # what the worker does every minute
    many = [_queries(client, url) for url in urls]
    assert few == many


def test_page_shows_tables_and_chart_data(client, dataset, people):
    client.force_login(people.dept_a)
    response = client.get(f"/members/statistics/{dataset.village.pk}/")
    html = response.content.decode()
    assert 'id="statistics-data"' in html and "js/statistics.js" in html and "vendor/echarts.min.js" in html
    assert 'id="chart-joining_period"' in html and "2012年11月以来" in html and "62.5%" in html
    assert "另有已出党 1 名" in html
    assert f'href="/members/statistics/{dataset.branch_a.pk}/"' in html  # drill down
    charts = response.context["charts"]
    assert {c["id"]: c["type"] for c in charts}["chart-gender"] == "pie"
    assert next(c for c in charts if c["id"] == "chart-status")["values"] == [1, 7]
    ethnicity = next(c for c in charts if c["id"] == "chart-ethnicity")  # the chart: Han and minorities; the table: each group
    assert (ethnicity["labels"], ethnicity["values"]) == (["汉族", "少数民族"], [5, 3])
    assert "<script>" not in html  # CSP: no inline scripts, data only in json_script


def test_pages_and_api_are_scoped(client, dataset, people):
    client.force_login(people.secretary_a)
    assert client.get(f"/members/statistics/{dataset.branch_b.pk}/").status_code == 404
    assert client.get(f"/members/statistics/{dataset.village.pk}/").status_code == 404
    assert client.post("/members/statistics/").status_code == 405
    response = client.get("/members/statistics/")
    assert response.status_code == 200 and response.context["stats"].total == 4  # 一支部 and its group
    assert client.get(f"/api/v1/members/statistics?org_id={dataset.branch_b.pk}").status_code == 404
    body = client.get("/api/v1/members/statistics").json()
    assert body["org_id"] == dataset.branch_a.pk and body["total"] == 4
    client.force_login(people.member_a)
    assert client.get("/members/statistics/").status_code == 403
    assert client.get("/api/v1/members/statistics").status_code == 403
    client.force_login(make_user("sup2", "supervisor", dataset.district_a))
    assert client.get(f"/members/statistics/{dataset.village.pk}/").status_code == 200


def test_api_gives_every_dimension(client, dataset, people):
    client.force_login(people.dept_a)
    body = client.get(f"/api/v1/members/statistics?org_id={dataset.village.pk}").json()
    assert body["total"] == 8 and body["left_register"] == 1 and body["org_name"] == "中共新村村委员会"
    dimensions = {d["key"]: d for d in body["dimensions"]}
    assert list(dimensions) == list(EXPECTED)
    for key, rows in EXPECTED.items():
        assert [(r["label"], r["count"], r["percent"]) for r in dimensions[key]["rows"]] == [(a, b, float(c)) for a, b, c in rows]
    assert dimensions["ethnicity"]["summary"] == [{"key": "minority", "label": "少数民族合计", "count": 3, "percent": 37.5}]


def test_excel_has_one_sheet_per_dimension_and_is_audited(client, dataset, people):
    client.force_login(people.dept_a)
    response = client.get(f"/members/statistics/{dataset.village.pk}/?format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["概况", "性别", "民族", "年龄", "学历", "职业", "入党时间", "党员类别", "党籍状态"]
    rows = [list(r) for r in workbook["性别"].iter_rows(values_only=True)]
    assert rows == [["性别", "人数", "占比（%）"], ["男", 5, 62.5], ["女", 3, 37.5], ["合计", 8, 100]]
    rows = [list(r) for r in workbook["民族"].iter_rows(values_only=True)]
    assert rows[-2] == ["少数民族合计", 3, 37.5]
    overview = dict(tuple(r) for r in workbook["概况"].iter_rows(min_row=2, values_only=True))
    assert overview["党组织"] == "中共新村村委员会" and overview["党员总数"] == 8
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.object_id == str(dataset.village.pk) and entry.actor == people.dept_a and entry.org_path == dataset.village.path
