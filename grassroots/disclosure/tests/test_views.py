"""Pages: the public portal (no login; only published items and visible questions), the staff pages, exports."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from grassroots.core.models import AuditLog
from grassroots.disclosure import services
from grassroots.disclosure.models import Disclosure, Question

from .conftest import png, xlsx

pytestmark = pytest.mark.django_db


def cells(response):
    content = b"".join(response.streaming_content)
    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return wb.get_sheet_by_index(0).to_python()


@pytest.fixture
def item(publish, people):
    d = publish(attachments=[png()], table=[{"item": "上级拨款", "income": "1000", "expenditure": "0"}, {"item": "保洁", "income": "0", "expenditure": "250.5"}],
                period_label="2026年第一季度", period_key="2026-Q1", category="finance", title="2026年第一季度财务公开")
    answered = services.ask_question(d, name="老王", text="保洁费是按月付的吗？", ip="1")
    services.answer_question(people.secretary_a, answered, answer="按月支付，每月约八十元")
    hidden = services.ask_question(d, text="这是一条辱骂的内容XYZ", ip="2")
    services.hide_question(people.secretary_a, hidden, reason="辱骂")
    return d


def test_public_item_page_without_login(client, item):
    html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "2026年第一季度财务公开" in html and "保洁费是按月付的吗" in html and "按月支付，每月约八十元" in html
    assert "辱骂的内容XYZ" not in html and "已屏蔽 1 条" in html and "群众提问（2 条）" in html
    assert "749.50" in html and "<svg" in html and 'role="img"' in html and reverse("portal:verify", args=[item.pk]) in html
    assert "<script" not in html


def test_portal_index_search_and_village_page(client, item, tree, publish, people, django_assert_max_num_queries):
    publish(org=tree.branch_b, actor=people.secretary_b, title="二支部公开")
    with django_assert_max_num_queries(6):
        html = client.get(reverse("portal:index")).content.decode()
    assert "新村第一党支部" in html and "新村第二党支部" in html and "湖塘镇" in html and "武进区委" in html
    html = client.get(reverse("portal:index"), {"q": "xcdy"}).content.decode()
    assert "新村第一党支部" in html and "新村第二党支部" not in html
    for _ in range(5):
        publish(title="又一条")
    with django_assert_max_num_queries(10):
        html = client.get(reverse("portal:org", args=[tree.branch_a.pk])).content.decode()
    assert "财务公开" in html and "哈希链校验通过" in html
    assert client.get(reverse("portal:org", args=[tree.group_a.pk])).status_code == 404  # publishes nothing


def test_matters_link_to_their_public_pages(client, publish, tree):
    publish(category="resolution", title="关于道路硬化的决议", source_label="村道硬化工程", source_url="/gongkai/matters/7/")
    html = client.get(reverse("portal:org", args=[tree.branch_a.pk])).content.decode()
    assert 'href="/gongkai/matters/7/"' in html and "村道硬化工程" in html


def test_asking_a_question_post_redirect_get(client, item):
    url = reverse("portal:ask", args=[item.pk])
    response = client.post(url, {"name": "", "text": "公开期到什么时候？", "website": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"/gongkai/items/{item.pk}/#questions")
    assert Question.objects.filter(text="公开期到什么时候？", state="visible").exists()
    response = client.post(url, {"text": "短"})
    assert response.status_code == 400 and "问题至少 5 个字" in response.content.decode()
    count = Question.objects.count()
    response = client.post(url, {"text": "机器人发的广告内容", "website": "http://spam"})
    assert response.status_code == 302 and Question.objects.count() == count  # the honeypot keeps nothing
    assert client.get(url).status_code == 405


def test_verify_page_and_api(client, item, tree):
    html = client.get(reverse("portal:verify", args=[item.pk])).content.decode()
    assert "验证通过" in html
    body = client.get(f"/api/v1/disclosure/chains/{tree.branch_a.pk}/verify").json()
    assert body == {"org_id": tree.branch_a.pk, "org_name": "新村第一党支部", "ok": True, "length": 1, "first_broken": None}
    Disclosure.objects.filter(pk=item.pk).update(title="改过的标题")
    html = client.get(reverse("portal:verify", args=[item.pk])).content.decode()
    assert "验证未通过" in html and "第 1 条" in html and "内容哈希不符" in html
    body = client.get(f"/api/v1/disclosure/chains/{tree.branch_a.pk}/verify").json()
    assert body["ok"] is False and body["first_broken"]["seq"] == 1 and body["first_broken"]["pk"] == item.pk
    assert body["first_broken"]["reason"] == "content"
    assert client.get(f"/api/v1/disclosure/chains/{tree.group_a.pk}/verify").status_code == 404


def test_qr_notice_table_and_attachment(client, item, settings):
    settings.GRASSROOTS_PUBLIC_BASE_URL = "https://gongkai.example.cn"
    svg = client.get(reverse("portal:qr", args=[item.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    html = client.get(reverse("portal:notice", args=[item.pk])).content.decode()
    assert f"https://gongkai.example.cn/gongkai/items/{item.pk}/verify/" in html and "张贴日期" in html
    assert "749.50" in html and "保洁费是按月付的吗" not in html  # the table's balance; questions stay online
    rows = cells(client.get(reverse("portal:table_xlsx", args=[item.pk])))
    assert rows[0] == ["项目", "收入（元）", "支出（元）"] and rows[-2] == ["合计", 1000, 250.5]
    attachment = item.attachments.get()
    response = client.get(reverse("portal:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_versions_are_both_visible(client, item, people):
    new = services.correct_disclosure(people.secretary_a, item, title="2026年第一季度财务公开（更正）", body="更正", reason="保洁费金额有误")
    old_html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    new_html = client.get(reverse("portal:item", args=[new.pk])).content.decode()
    assert "此版本已被更正" in old_html and reverse("portal:item", args=[new.pk]) in old_html
    assert "更正版（第 2 版）" in new_html and "保洁费金额有误" in new_html and reverse("portal:item", args=[item.pk]) in new_html


def test_opinions_from_the_decisions_app_are_shown(client, item, monkeypatch):
    import datetime

    from grassroots.decisions import portal_items  # what decisions contributes to the page, through the registry

    monkeypatch.setattr(portal_items, "opinions_for_disclosure", lambda d: [{
        "kind": "objection", "kind_label": "异议", "text": "保洁合同未经招标", "author_label": "村务监督委员会",
        "created_at": datetime.datetime(2026, 4, 2, 9, 0), "answer": "已补办比选手续", "answered_at": datetime.datetime(2026, 4, 5, 9, 0),
    }])
    html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "保洁合同未经招标" in html and "已补办比选手续" in html


# ---- staff pages -------------------------------------------------------------------------------------------------


def test_staff_list_detail_and_export(client, item, people, tree, django_assert_max_num_queries, publish):
    for i in range(5):
        publish(title=f"公开{i}")
    client.force_login(people.secretary_a)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("disclosure:manage_list")).content.decode()
    assert "2026年第一季度财务公开" in html and "1 条待答复" not in html
    html = client.get(reverse("disclosure:detail", args=[item.pk])).content.decode()
    assert "辱骂的内容XYZ" in html and "理由：辱骂" in html and "提出监督意见" not in html
    rows = cells(client.get(reverse("disclosure:ledger_export")))
    assert rows[0][:4] == ["序号", "公开单位", "公开类别", "标题"] and len(rows) == 7
    assert AuditLog.objects.filter(action="export", note="导出党务村务居务公开台账").exists()
    client.force_login(people.secretary_b)
    assert client.get(reverse("disclosure:detail", args=[item.pk])).status_code == 404


def test_monitor_sees_the_opinion_link(client, item, tree):
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    monitor = make_user("jianwei", Role.VILLAGE_MONITOR, tree.village)
    client.force_login(monitor)
    html = client.get(reverse("disclosure:detail", args=[item.pk])).content.decode()
    assert reverse("decisions:disclosure_opinion", args=[item.pk]) in html and "发布更正" not in html


def test_publish_form_with_files_and_excel_table(client, people, tree):
    client.force_login(people.secretary_a)
    url = reverse("disclosure:publish", args=[tree.branch_a.pk])
    html = client.get(url, {"category": "finance"}).content.decode()
    assert '<option value="finance" selected>' in html and "不属于例行期间" in html and "逾期未公开" in html  # the periods owed
    table = xlsx([["项目", "收入", "支出"], ["拨款", 500, None], ["合计", 500, 0]])
    response = client.post(url, {"category": "finance", "title": "财务公开", "body": "见明细", "min_posting_days": 7, "period_key": "",
                                 "table_file": table, "attachments": [png("a.png"), png("b.png")]})
    d = Disclosure.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("disclosure:detail", args=[d.pk])
    assert d.attachments.count() == 2 and services.table_totals(d.table)[0] == 500
    response = client.post(url, {"category": "village", "title": "", "body": "x", "min_posting_days": 7, "table_text": "拨款,abc,0"})
    assert response.status_code == 200 and Disclosure.objects.count() == 1 and 'class="field has-error required"' in response.content.decode()
    response = client.post(url, {"category": "village", "title": "标题", "body": "x", "min_posting_days": 7, "table_text": "拨款,abc,0"})
    assert "不是有效金额" in response.content.decode() and Disclosure.objects.count() == 1
    client.force_login(people.secretary_b)
    assert client.get(url).status_code == 404


def test_correct_form_and_moderation(client, item, people):
    client.force_login(people.secretary_a)
    url = reverse("disclosure:correct", args=[item.pk])
    response = client.post(url, {"title": "更正标题", "body": "更正内容", "reason": ""})
    assert response.status_code == 200 and Disclosure.objects.count() == 1
    response = client.post(url, {"title": "更正标题", "body": "更正内容", "reason": "金额有误", "table_text": "拨款,1000,0\n保洁,0,200"})
    new = Disclosure.objects.get(supersedes=item)
    assert response.status_code == 302 and services.table_totals(new.table)[1] == 200
    q = Question.objects.filter(state="visible").get()
    client.post(reverse("disclosure:question_hide", args=[q.pk]), {"reason": "广告"})
    q.refresh_from_db()
    assert q.is_hidden
    client.post(reverse("disclosure:question_unhide", args=[q.pk]))
    client.post(reverse("disclosure:question_answer", args=[q.pk]), {"answer": "更新的答复"})
    q.refresh_from_db()
    assert not q.is_hidden and q.answer == "更新的答复"
    html = client.get(reverse("disclosure:questions"), {"state": "hidden"}).content.decode()
    assert "辱骂的内容" in html



def test_question_refusals_come_back_as_messages(client, item, people):
    """A refused hide or unhide leaves the question as it was and says why on the item's page."""
    client.force_login(people.secretary_a)
    q = Question.objects.get(state="visible")
    response = client.post(reverse("disclosure:question_hide", args=[q.pk]), {"reason": " "}, follow=True)
    q.refresh_from_db()
    assert not q.is_hidden and "请填写屏蔽理由" in response.content.decode()
    response = client.post(reverse("disclosure:question_unhide", args=[q.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("disclosure:detail", args=[item.pk])
    assert "该提问未被屏蔽" in response.content.decode()
    response = client.post(reverse("disclosure:question_answer", args=[q.pk]), {"answer": "已公开答复"}, follow=True)
    q.refresh_from_db()
    assert q.answer == "已公开答复" and "答复已公开" in response.content.decode()

def test_unit_page_and_schedule_form(client, people, tree):
    client.force_login(people.dept_a)
    url = reverse("disclosure:schedule_set", args=[tree.village.pk])
    client.post(url, {"category": "finance", "frequency": "month", "due_days": 10, "is_active": "on"})
    html = client.get(reverse("disclosure:unit", args=[tree.village.pk])).content.decode()
    assert "财务公开" in html and "每月" in html and "期满后公开天数" in html
    html = client.get(reverse("disclosure:manage_list")).content.decode()
    assert "中共新村村委员会" in html


def test_table_template_round_trips(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people.secretary_a)
    response = client.get(reverse("disclosure:table_template"))
    content = b"".join(response.streaming_content)
    rows, totals = services.read_table_xlsx(SimpleUploadedFile("t.xlsx", content))
    assert [r["item"] for r in rows] == ["上级转移支付", "（示例）村道养护"] and totals == (0, 0)
    assert services.table_totals(services.clean_table(rows, totals=totals))[2] == 0


def test_public_item_page_query_count(client, item, people, django_assert_max_num_queries):
    for i in range(5):
        services.ask_question(item, text=f"第{i}个问题是什么？", ip=f"q{i}")
    current = item
    for i in range(3):
        current = services.correct_disclosure(people.secretary_a, current, title=f"更正{i}", body="x", reason="r")
    with django_assert_max_num_queries(12):
        html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "第 1 版（本页）" in html and reverse("portal:item", args=[current.pk]) in html and "第4个问题是什么" in html


def test_publish_periods_on_29_february(tree):
    """Without a schedule the form offers the default one's periods over the last year, from any day."""
    import datetime

    from grassroots.disclosure.views import _periods

    keys = [p.key for p in _periods(tree.village, "village", datetime.date(2028, 2, 29))]
    assert keys == ["2028-Q1", "2027-Q4", "2027-Q3", "2027-Q2", "2027-Q1"]


def test_publish_form_preselects_the_owed_period_and_stores_its_label(client, people, tree):
    from django.utils import timezone

    from grassroots.disclosure.views import _periods

    client.force_login(people.secretary_a)
    url = reverse("disclosure:publish", args=[tree.branch_a.pk])
    owed = next(p for p in _periods(tree.branch_a, "village", timezone.localdate()) if p.state in ("overdue", "due"))
    html = client.get(url, {"category": "village"}).content.decode()
    assert f'<option value="{owed.key}" selected>{owed.label}（{owed.state_label}）</option>' in html
    client.post(url, {"category": "village", "title": "村务公开", "body": "x", "min_posting_days": 7, "period_key": owed.key})
    d = Disclosure.objects.get()
    assert (d.period_key, d.period_label) == (owed.key, owed.label)
