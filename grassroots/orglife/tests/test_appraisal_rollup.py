"""Roll-up of democratic appraisal results for a subtree and year: counts, percentages, branches not concluded."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import make_member, make_org
from grassroots.core.models import AuditLog
from grassroots.orglife.appraisal import rollup
from grassroots.orglife.models import Appraisal, AppraisalResult

pytestmark = pytest.mark.django_db


def appraise(branch, year, grades, state="concluded"):
    appraisal = Appraisal.objects.create(org=branch, org_path=branch.path, year=year, state=state)
    for grade in grades:
        AppraisalResult.objects.create(appraisal=appraisal, member=make_member(branch), grade=grade)
    return appraisal


@pytest.fixture
def dataset(tree, root_admin):
    """2025: branch A concluded (1 优秀, 2 合格, 1 基本合格), branch B still open (its grades do not count),
    the Tianning branch concluded (1 合格, 1 不合格). A branch dissolved in 2024 and one set up in October 2025
    owe nothing for 2025; other years never mix in."""
    appraise(tree.branch_a, 2025, ["excellent", "qualified", "qualified", "basic"])
    appraise(tree.branch_b, 2025, ["excellent", "unqualified"], state="open")
    appraise(tree.b_branch, 2025, ["qualified", "unqualified"])
    appraise(tree.branch_a, 2024, ["unqualified"] * 3)
    make_org(root_admin, tree.village, "新村第三党支部", "C0403", established_on=datetime.date(2025, 10, 1))
    gone = make_org(root_admin, tree.village, "新村旧党支部", "C0404")
    gone.is_active, gone.dissolved_on = False, datetime.date(2024, 6, 30)
    gone.save()
    return tree


def numbers(row):
    return {"branches": row.branches, "not_concluded": row.not_concluded, "appraised": row.appraised, **row.counts}


def test_city_rolls_up_per_district(dataset):
    rows, total = rollup(dataset.city, 2025)
    assert [r.org for r in rows] == [dataset.district_a, dataset.district_b]
    assert numbers(rows[0]) == {"branches": 2, "not_concluded": 1, "appraised": 4, "excellent": 1, "qualified": 2, "basic": 1, "unqualified": 0}
    assert numbers(rows[1]) == {"branches": 1, "not_concluded": 0, "appraised": 2, "excellent": 0, "qualified": 1, "basic": 0, "unqualified": 1}
    assert numbers(total) == {"branches": 3, "not_concluded": 1, "appraised": 6, "excellent": 1, "qualified": 3, "basic": 1, "unqualified": 1}
    assert rows[0].percent("qualified") == 50.0 and rows[0].percent("excellent") == 25.0 and rows[0].percent("unqualified") == 0.0
    assert total.percent("qualified") == 50.0 and total.percent("basic") == 16.7
    assert [label for label, _c, _p in total.grades] == ["优秀", "合格", "基本合格", "不合格"]


def test_village_rows_are_its_branches_and_a_branch_is_its_own_row(dataset):
    rows, total = rollup(dataset.village, 2025)
    assert [r.org for r in rows] == [dataset.branch_a, dataset.branch_b]  # the October branch and the dissolved one owe nothing
    assert rows[1].appraised == 0 and rows[1].not_concluded == 1 and rows[1].percent("qualified") is None
    assert total.branches == 2 and total.appraised == 4

    rows, total = rollup(dataset.branch_a, 2024)
    assert [r.org for r in rows] == [dataset.branch_a] and rows[0].counts["unqualified"] == 3 and total.not_concluded == 0
    rows, total = rollup(dataset.branch_b, 2024)
    assert rows[0].not_concluded == 1 and total.appraised == 0


def test_three_queries_whatever_the_size(dataset, root_admin):
    for n in range(5):
        branch = make_org(root_admin, dataset.town, f"湖塘镇第{n}党支部", f"C07{n:02d}")
        appraise(branch, 2025, ["qualified", "excellent", "qualified"])
    with CaptureQueriesContext(connection) as ctx:
        rows, total = rollup(dataset.city, 2025)
    assert len(ctx.captured_queries) == 3, [q["sql"] for q in ctx.captured_queries]  # children, branches, results
    assert total.appraised == 6 + 15 and total.branches == 8


def test_summary_page_chart_link_and_scope(client, dataset, people):
    client.force_login(people.dept_a)
    assert reverse("orglife:appraisal_summary_home") in client.get(reverse("orglife:appraisal_list")).content.decode()
    response = client.get(reverse("orglife:appraisal_summary_home"), {"year": 2025})
    assert response.status_code == 200 and response.context["org"] == dataset.district_a
    response = client.get(reverse("orglife:appraisal_summary", args=[dataset.village.pk]), {"year": 2025})
    html = response.content.decode()
    assert [r.org for r in response.context["rows"]] == [dataset.branch_a, dataset.branch_b]
    assert 'id="orglife-appraisal-data"' in html and "js/orglife.js" in html and "<script>" not in html
    chart = response.context["chart"]
    assert chart["labels"] == ["一支部", "二支部"]
    assert chart["series"][0] == {"name": "优秀", "data": [1, 0]} and chart["series"][1] == {"name": "合格", "data": [2, 0]}
    assert "50.0%" in html
    # another district's subtree: 404
    assert client.get(reverse("orglife:appraisal_summary", args=[dataset.district_b.pk])).status_code == 404
    assert client.get(reverse("orglife:appraisal_summary_export", args=[dataset.b_branch.pk])).status_code == 404


def test_excel_export_is_audited(client, dataset, people):
    from python_calamine import CalamineWorkbook

    client.force_login(people.city_dept)
    response = client.get(reverse("orglife:appraisal_summary_export", args=[dataset.city.pk]), {"year": 2025})
    assert response.status_code == 200
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    assert sheet[0][:5] == ["组织", "应开展评议的党支部", "已评定的党支部", "未评定的党支部", "参评党员"]
    assert sheet[1][0] == "中共常州市武进区委员会" and [int(x) for x in sheet[1][1:5]] == [2, 1, 1, 4]
    assert sheet[1][5:7] == [1, "25%"] or sheet[1][5:7] == [1.0, "25%"]
    assert sheet[-1][0] == "合计" and int(sheet[-1][4]) == 6
    assert AuditLog.objects.filter(action="export", note="导出2025年民主评议党员结果汇总", actor=people.city_dept).exists()


def test_api_summary(api, dataset, people):
    api.as_user(people.dept_a)
    body = api.get("/orglife/appraisals/summary", org_id=dataset.village.pk, year=2025).json()
    assert [r["name"] for r in body["rows"]] == ["新村第一党支部", "新村第二党支部"]
    a = body["rows"][0]
    assert (a["appraised"], a["branches"], a["not_concluded"]) == (4, 1, 0)
    assert a["grades"][1] == {"grade": "qualified", "label": "合格", "count": 2, "percent": 50.0}
    assert body["total"]["not_concluded"] == 1
    body = api.get("/orglife/appraisals/summary", year=2025).json()  # default: the caller's own subtree
    assert body["org_id"] == dataset.district_a.pk and body["total"]["appraised"] == 4
    assert api.get("/orglife/appraisals/summary", org_id=dataset.district_b.pk).status_code == 404
    assert api.get("/orglife/appraisals/summary", org_id=dataset.village.pk, year=1999).status_code == 422
