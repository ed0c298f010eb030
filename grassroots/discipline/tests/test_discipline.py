import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from grassroots.conftest import login, make_user
from grassroots.core import crypto
from grassroots.core.roles import Role
from grassroots.discipline import services
from grassroots.discipline.models import Bulletin, Lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def jw(tree):
    return make_user("jijian", Role.DISCIPLINE, tree.village)


@pytest.fixture
def lead(tree):
    cache.clear()
    lead, _code = services.submit_report(org=tree.village, category="withholding", summary="截留低保金", detail="村会计截留低保金三个月未发放",
                                          name="举报人甲", phone="13812345678", ip="1.2.3.4")
    return lead


def test_public_report_is_encrypted_and_rate_limited(client, tree):
    cache.clear()
    for _ in range(3):
        response = client.post(reverse("jubao:report"), {"org": tree.village.pk, "category": "finance", "summary": "账目不公开",
                                                          "detail": "村里账目一年没有公开过了", "name": "李某", "phone": "13900001111"})
        assert response.status_code == 200
    response = client.post(reverse("jubao:report"), {"org": tree.village.pk, "category": "finance", "summary": "账目", "detail": "村里账目一年没有公开过了"})
    assert response.status_code == 400 and "过于频繁" in response.content.decode()
    lead = Lead.objects.first()
    assert "李某" not in lead.reporter_name_enc and crypto.decrypt(lead.reporter_name_enc) == "李某"
    assert Lead.objects.count() == 3


def test_only_discipline_in_scope_reads_leads(client, lead, jw, people, tree):
    for user in (people.admin, people.city_dept, people.dept_a, people.supervisor, people.secretary_a):
        assert not Lead.objects.visible_to(user).exists()
        login(client, user)
        assert client.get(reverse("discipline:lead", args=[lead.pk])).status_code == 404
        assert client.get(reverse("discipline:leads")).status_code == 403
    other = make_user("jijian_b", Role.DISCIPLINE, tree.district_b)
    login(client, other)
    assert client.get(reverse("discipline:lead", args=[lead.pk])).status_code == 404
    login(client, jw)
    page = client.get(reverse("discipline:lead", args=[lead.pk])).content.decode()
    assert "举报人甲" in page and "138****5678" in page and "13812345678" not in page


def test_lead_states_and_bulletin_published(client, lead, jw, tree):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="须先核实"):
        services.conclude_lead(jw, lead, conclusion="给予处分", concluded_on=today)
    services.verify_lead(jw, lead, verification="经查属实", verified_on=today, finding="true")
    services.conclude_lead(jw, lead, conclusion="给予党内警告处分，退还资金", concluded_on=today)
    bulletin = Bulletin.objects.get(lead=lead)
    assert "举报人甲" not in bulletin.body
    assert client.get(reverse("jubao:bulletin", args=[bulletin.pk])).status_code == 404
    services.publish_bulletin(jw, bulletin, title=bulletin.title, body=bulletin.body)
    assert client.get(reverse("jubao:bulletin", args=[bulletin.pk])).status_code == 200
    lead.refresh_from_db()
    assert lead.state == "bulletin"


def test_org_dept_cannot_handle_a_lead(lead, people):
    with pytest.raises(PermissionDenied):
        services.verify_lead(people.city_dept, lead, verification="越权", verified_on=timezone.localdate(), finding="true")


def test_campaign_report_counts(client, jw, tree, lead):
    today = timezone.localdate()
    campaign = services.create_campaign(jw, tree.village, name="群众身边腐败问题专项整治", starts_on=today - datetime.timedelta(days=30), ends_on=today)
    services.assign_campaign(jw, lead, campaign)
    login(client, jw)
    text = client.get(reverse("discipline:campaign_report", args=[campaign.pk])).content.decode()
    assert "共受理问题线索 1 件" in text and "截留惠民资金" in text


def test_bodies_counts_and_burden_duplicates(client, people, tree):
    body = services.register_body(people.secretary_a, tree.branch_a, kind="plaque", name="某某工作站")
    with pytest.raises(ValidationError, match="整合至"):
        services.decide_body(people.secretary_a, body, decision="merge", decided_on=timezone.localdate())
    services.decide_body(people.secretary_a, body, decision="remove", decided_on=timezone.localdate())
    with pytest.raises(ValidationError, match="重复"):
        services.report_burden(people.secretary_a, tree.branch_a, kind="form", title="党员统计表", issuing_dept="某局", duplicate=True)
    services.report_burden(people.secretary_a, tree.branch_a, kind="form", title="党员统计表", issuing_dept="某局", duplicate=True, duplicate_of="党员统计表（平台生成）")
    login(client, people.secretary_a)
    assert "撤除 1" in client.get(reverse("discipline:bodies")).content.decode()
    assert "某局" in client.get(reverse("discipline:burdens")).content.decode()
    assert "党员花名册" in client.get(reverse("discipline:generated")).content.decode()


def test_api_reads_leads_only_in_discipline_scope(api, lead, jw, people, tree):
    for user in (people.city_dept, people.dept_a, people.admin):
        api.as_user(user)
        assert api.get("/discipline/leads").json()["count"] == 0
        assert api.get(f"/discipline/leads/{lead.pk}").status_code == 404
    api.as_user(make_user("jijian_b", Role.DISCIPLINE, tree.district_b))
    assert api.get(f"/discipline/leads/{lead.pk}").status_code == 404
    assert api.send("post", f"/discipline/leads/{lead.pk}/verify", {"verification": "越权", "verified_on": timezone.localdate().isoformat(),
                                                                     "finding": "true"}).status_code == 404
    api.as_user(jw)
    body = api.get(f"/discipline/leads/{lead.pk}").json()
    assert body["number"] == lead.number and "举报人甲" not in str(body) and "13812345678" not in str(body)


def test_api_lead_to_published_bulletin_and_campaign_report(api, lead, jw, tree):
    today = timezone.localdate().isoformat()
    campaign = services.create_campaign(jw, tree.village, name="专项整治", starts_on=timezone.localdate(), ends_on=timezone.localdate())
    services.assign_campaign(jw, lead, campaign)
    api.as_user(jw)
    early = api.send("post", f"/discipline/leads/{lead.pk}/publish", {"title": "通报", "body": "内容"})
    assert early.status_code == 422 and "尚未办结" in early.content.decode()
    assert api.send("post", f"/discipline/leads/{lead.pk}/verify", {"verification": "属实", "verified_on": today, "finding": "true"}).status_code == 200
    assert api.send("post", f"/discipline/leads/{lead.pk}/conclude", {"conclusion": "党内警告", "concluded_on": today}).json()["state"] == "concluded"
    published = api.send("post", f"/discipline/leads/{lead.pk}/publish", {"title": "关于截留低保金问题的通报", "body": "经查属实，给予党内警告。"})
    assert published.status_code == 200 and published.json()["published_at"]
    again = api.send("post", f"/discipline/leads/{lead.pk}/publish", {"title": "改", "body": "改"})
    assert again.status_code == 422
    report = api.get(f"/discipline/campaigns/{campaign.pk}/report").json()
    assert report["totals"] == {"total": 1, "concluded": 1, "true": 1, "published": 1}
    assert report["rows"][0]["label"] == "截留惠民资金"


def test_burden_decided_only_above_and_body_removed_through_api(api, people, tree):
    burden = services.report_burden(people.secretary_a, tree.branch_a, kind="form", title="党员统计表", issuing_dept="某局", duplicate=True,
                                    duplicate_of="党员统计表（平台生成）")
    with pytest.raises(PermissionDenied, match="上级"):
        services.decide_burden(people.secretary_a, burden, state="cut")
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    api.as_user(village_sj)
    assert api.send("post", f"/discipline/burdens/{burden.pk}/decide", {"state": "cut", "note": "由平台导出"}).json()["state"] == "cut"
    body = services.register_body(people.secretary_a, tree.branch_a, kind="plaque", name="某某工作站")
    api.as_user(people.secretary_b)
    assert api.send("post", f"/discipline/bodies/{body.pk}/decide", {"decision": "remove", "decided_on": timezone.localdate().isoformat()}).status_code == 404
    api.as_user(people.secretary_a)
    removed = api.send("post", f"/discipline/bodies/{body.pk}/decide", {"decision": "remove", "decided_on": timezone.localdate().isoformat()})
    assert removed.status_code == 200 and removed.json()["decision"] == "remove"


def test_body_photo_and_counts_page(client, people, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grassroots.discipline.synthetic import _png

    body = services.register_body(people.secretary_a, tree.branch_a, kind="temporary", name="临时指挥部",
                                  photos=[SimpleUploadedFile("挂牌.png", _png(), content_type="image/png")])
    with pytest.raises(ValidationError, match="jpg、png"):
        services.decide_body(people.secretary_a, body, decision="remove", decided_on=timezone.localdate(),
                             photos=[SimpleUploadedFile("撤牌.gif", b"GIF89a", content_type="image/gif")])
    body.refresh_from_db()
    assert body.decision == "pending"  # nothing half-saved
    services.decide_body(people.secretary_a, body, decision="remove", decided_on=timezone.localdate(),
                         photos=[SimpleUploadedFile("撤牌.png", _png(), content_type="image/png")])
    login(client, people.secretary_a)
    page = client.get(reverse("discipline:bodies") + f"?org={tree.branch_a.pk}").content.decode()
    assert "撤除 1" in page and "bodies-data" in page
    photo = body.photos.last()
    assert client.get(reverse("discipline:body_photo", args=[photo.pk])).status_code == 200
    login(client, people.secretary_b)
    assert client.get(reverse("discipline:body_photo", args=[photo.pk])).status_code == 404


def _xlsx(rows):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from grassroots.discipline import imports

    book = Workbook()
    sheet = book.active
    sheet.append(imports.TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("负担.xlsx", out.getvalue())


def test_burden_register_imported_all_or_nothing(client, people, tree):
    from grassroots.discipline.models import Burden

    login(client, people.secretary_a)
    url = reverse("discipline:burdens_import") + f"?org={tree.branch_a.pk}"
    template = client.get(reverse("discipline:burdens_template") + f"?org={tree.branch_a.pk}")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = [["报表", "党员统计表", "区某局", 4, 1.5, "党员统计表（平台自动生成）", ""], ["座谈", "推进会", "镇创建办", 12, 2, "", ""],
           ["会议", "", "镇创建办", 12, 2, "", ""]]
    page = client.post(url, {"file": _xlsx(bad)}, follow=True).content.decode()
    assert "第 3 行：请选择类别" in page and "第 4 行：请填写名称" in page and Burden.objects.count() == 0
    good = [bad[0], ["会议", "创建工作推进会", "镇创建办", 12, 2, "", ""]]
    page = client.post(url, {"file": _xlsx(good)}, follow=True).content.decode()
    assert "已导入 2 项" in page
    first = Burden.objects.get(title="党员统计表")
    assert first.duplicate and first.duplicate_of == "党员统计表（平台自动生成）" and str(first.hours_each) == "1.5" and first.times_per_year == 4
    login(client, people.secretary_b)
    client.post(url, {"file": _xlsx(good)})
    assert Burden.objects.count() == 2  # another branch cannot import into this one
