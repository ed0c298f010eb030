"""The Excel import of the yearly figures (template, all rows or none, row-level Chinese errors) and the API's writes
(report figures and evidence, submit, verify, return), with their refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from grassroots.conftest import make_org
from grassroots.core.errors import ValidationError
from grassroots.guarantees import imports
from grassroots.guarantees.choices import ReportState
from grassroots.guarantees.models import Figure, Report
from grassroots.orgs.choices import Category, Kind
from grassroots.tracking.models import Task

from .test_services import setup  # noqa: F401  (the fixture: standards, a campaign, the village and town secretaries)

pytestmark = pytest.mark.django_db

GOOD = {"work_funds": 120000, "secretary_pay": 50400, "pension": "有", "medical": "有", "venue_area": 460, "venue_facilities": "无",
        "service_funds": 50000, "dues_share": 60}


def sheet(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [imports.CODE, imports.NAME, *[imports.header(k) for k in GOOD]])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("填报.xlsx", out.getvalue())


def row(org, **changes):
    values = {**GOOD, **changes}
    return [org.code, org.name, *[values[k] for k in GOOD]]


def values(report):
    return {f.item: (f.present if f.kind == "yes" else f.value) for f in report.figures.all()}


def test_template_lists_the_units_the_user_fills_with_drop_downs(client, tree, setup):  # noqa: F811
    village_sj, town, campaign = setup
    client.force_login(village_sj)
    r = client.get(f"/guarantees/campaign/{campaign.pk}/", {"template": 1})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == (imports.CODE, imports.NAME, imports.header("work_funds"))
    assert [r[0] for r in rows[1:]] == [tree.village.code]
    assert rows[1][rows[0].index(imports.header("staff_pay"))] == "（不填）"  # a community item, not a village's
    assert any('"有,无"' in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)


def test_an_import_saves_every_row_or_none(client, tree, people, root_admin, setup):  # noqa: F811
    village_sj, town, campaign = setup
    report = campaign.reports.get(org=tree.village)
    client.force_login(people.dept_a)
    bad = sheet([row(tree.village), row(tree.village, work_funds="十万", pension="也许"), ["X999", "外村", *GOOD.values()]])
    r = client.post(f"/guarantees/campaign/{campaign.pk}/", {"file": bad})
    page = r.content.decode()
    assert r.status_code == 200 and "导入失败，没有保存任何数据" in page
    assert f"第3行：{tree.village.name}与第2行重复" in page
    assert "第4行：组织代码“X999”不在本次核查的填报单位中" in page
    assert all(v is None for v in values(report).values())  # the good first row was not saved either

    r = client.post(f"/guarantees/campaign/{campaign.pk}/", {"file": sheet([row(tree.village, work_funds="十万", pension="也许")])})
    assert "第2行（中共新村村委员会）：村（社区）工作经费列入财政预算须为数字，而不是“十万”；养老保险应填“有”或“无”，而不是“也许”" in r.content.decode()
    assert all(v is None for v in values(report).values())

    r = client.post(f"/guarantees/campaign/{campaign.pk}/", {"file": sheet([row(tree.village)])})
    assert r.status_code == 302
    saved = values(report)
    assert saved["work_funds"] == 120000 and saved["pension"] is True and saved["venue_facilities"] is False and saved["dues_share"] == 60
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT  # imported, not yet submitted


def test_an_import_refuses_files_and_units_outside_the_user(tree, people, root_admin, setup):  # noqa: F811
    village_sj, town, campaign = setup
    other = make_org(root_admin, tree.town, "中共东村村委员会", "C0302", Kind.COMMITTEE, Category.RURAL)
    campaign.delete()
    from grassroots.guarantees import services

    campaign = services.open_campaign(people.dept_a, tree.district_a, year=2026, due_on=campaign.due_on)
    with pytest.raises(ValidationError, match="不是 .xlsx"):
        imports.import_figures(village_sj, campaign, SimpleUploadedFile("a.xlsx", b"not excel"))
    with pytest.raises(ValidationError, match="无法识别的列"):
        imports.import_figures(village_sj, campaign, sheet([row(tree.village)], headers=[imports.CODE, "经费"]))
    with pytest.raises(ValidationError) as exc:  # the village secretary may fill in his own village only
        imports.import_figures(village_sj, campaign, sheet([row(tree.village), row(other)]))
    assert "第3行（中共东村村委员会）：只有本村（社区）或上级组织的管理人员可以填报" in str(exc.value)
    assert not Figure.objects.filter(report__campaign=campaign, value__isnull=False).exists()
    assert imports.import_figures(town, campaign, sheet([row(tree.village), row(other)])) == 2  # the town fills both


def test_the_api_reports_and_the_township_verifies(api, tree, setup):  # noqa: F811
    village_sj, town, campaign = setup
    report = campaign.reports.get(org=tree.village)
    base = f"/guarantees/reports/{report.pk}"
    figures = {"work_funds": "90000", "secretary_pay": "48000", "venue_area": "650", "pension": True, "medical": True,
               "venue_facilities": True, "service_funds": "20000", "dues_share": "60"}
    r = api.as_user(village_sj).send("post", f"{base}/figures", {"figures": {"work_funds": "很多"}})
    assert r.status_code == 422
    r = api.send("post", f"{base}/figures", {"figures": figures, "note": "按预算批复"})
    assert r.status_code == 200, r.content
    assert {f["item"]: f["value"] for f in r.json()["figures"]}["work_funds"] == "90000.00"
    r = api.send("post", f"{base}/submit", {})
    assert r.status_code == 422 and "佐证" in r.content.decode()
    from django.test import Client

    c = Client()
    r = c.post(f"/api/v1{base}/evidence", {"file": SimpleUploadedFile("预算批复.pdf", b"%PDF-1.4 x")}, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert r.status_code == 201 and len(r.json()["sha256"]) == 64
    assert api.send("post", f"{base}/submit", {}).json()["state"] == "submitted"
    r = api.send("post", f"{base}/verify", {})
    assert r.status_code == 403  # nobody verifies their own figures
    r = api.as_user(town).send("post", f"{base}/return", {"reason": ""})
    assert r.status_code == 422
    r = api.send("post", f"{base}/verify", {})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["state"] == "verified" and data["failing"] == 2 and data["gap_total"] == "12400.00"  # 10,000 funds + 2,400 pay
    tasks = [f["task_id"] for f in data["figures"] if f["task_id"]]
    assert Task.objects.filter(pk__in=tasks, assignee_org=tree.village).count() == 2
    assert api.send("post", f"{base}/figures", {"figures": figures}).status_code == 422  # verified: no more changes
