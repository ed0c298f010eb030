import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.conftest import make_member
from grassroots.core.models import AuditLog
from grassroots.dues.models import DuesDeclaration, DuesPayment

from .factories import declared, months_ago, record, this_month

pytestmark = pytest.mark.django_db


def test_home_redirects_by_scope(client, tree, people):
    client.force_login(people.secretary_a)
    assert client.get(reverse("dues:home")).url == reverse("dues:collect", args=[tree.branch_a.pk])
    client.force_login(people.dept_a)
    assert client.get(reverse("dues:home")).url == reverse("dues:summary", args=[tree.district_a.pk])


def test_collect_page_and_bulk_form(client, tree, people, members, django_assert_max_num_queries):
    declared(members.a1, tree.branch_a)
    for n in range(15):
        declared(make_member(tree.group_a, f"党员甲{n}"), tree.branch_a)
    client.force_login(people.secretary_a)
    url = reverse("dues:collect", args=[tree.branch_a.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    html = page.content.decode()
    assert "张三" in html and "未申报党费基数" in html  # 李四 has no declaration
    month = this_month().strftime("%Y-%m")
    bad = client.post(url, {"month": month, f"amount_paid-{members.a1.pk}": "-1"})
    assert bad.status_code == 200 and "不能为负数" in bad.content.decode() and "未保存任何记录" in bad.content.decode()
    assert not DuesPayment.objects.filter(paid_on__isnull=False).exists()
    ok = client.post(url, {"month": month, f"amount_paid-{members.a1.pk}": "30", f"method-{members.a1.pk}": "transfer"})
    assert ok.status_code == 302
    assert DuesPayment.objects.get(member=members.a1, month=this_month()).amount_paid == Decimal("30.00")


def test_collect_other_branch_is_404_and_reader_cannot_post(client, tree, people, members):
    client.force_login(people.secretary_b)
    assert client.get(reverse("dues:collect", args=[tree.branch_a.pk])).status_code == 404
    client.force_login(people.supervisor)
    url = reverse("dues:collect", args=[tree.branch_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_manage"] is False and "保存本月收缴记录" not in page.content.decode()
    assert client.post(url, {"month": this_month().strftime("%Y-%m")}).status_code == 403


def test_ledger_and_excel(client, tree, people, members):
    declared(members.a1, tree.branch_a)
    record(members.a1, tree.branch_a, months_ago(0), paid="30", paid_on=timezone.localdate())
    client.force_login(people.secretary_a)
    year = this_month().year
    page = client.get(reverse("dues:ledger", args=[tree.branch_a.pk]), {"year": year})
    assert "张三" in page.content.decode() and "党费收缴台账" in page.content.decode()
    response = client.get(reverse("dues:ledger_export", args=[tree.branch_a.pk]), {"year": year})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("序号", "姓名", "所在党组织", "1月") and rows[1][1] == "张三"
    assert rows[1][2 + this_month().month] == 30
    assert AuditLog.objects.filter(action="export", note__contains="党费收缴台账").exists()


def test_summary_rolls_up_children(client, tree, people, members, django_assert_max_num_queries):
    declared(members.a1, tree.branch_a)
    declared(members.b1, tree.branch_b)
    record(members.a1, tree.branch_a, this_month(), paid="30", paid_on=timezone.localdate())
    record(members.b1, tree.branch_b, this_month())
    client.force_login(people.dept_a)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("dues:summary", args=[tree.village.pk]))
    ctx = page.context
    assert ctx["total"]["due"] == Decimal("60.00") and ctx["total"]["paid"] == Decimal("30.00")
    by = {r["org"]: r for r in ctx["rows"]}
    assert by[tree.branch_a]["arrears"] == 0 and by[tree.branch_b]["arrears"] == Decimal("30.00")
    assert "dues-monthly-data" in page.content.decode()


def test_declare_form_shows_chinese_errors(client, tree, people, members):
    client.force_login(people.secretary_a)
    url = reverse("dues:declare", args=[members.a1.pk])
    bad = client.post(url, {"year": "2026", "category": "retired", "base": ""})
    assert "须填写月计算基数" in bad.content.decode()
    assert not DuesDeclaration.objects.exists()
    ok = client.post(url, {"year": "2026", "category": "retired", "base": "5000.01"})
    assert ok.status_code == 302 and DuesDeclaration.objects.get().amount == Decimal("50.00")


def test_arrears_page_flags_six_months(client, tree, people, members):
    declared(members.a1, tree.branch_a)
    for n in range(1, 7):
        record(members.a1, tree.branch_a, months_ago(n))
    client.force_login(people.secretary_a)
    html = client.get(reverse("dues:arrears", args=[tree.branch_a.pk])).content.decode()
    assert "张三" in html and "连续六个月未交纳党费" in html


def test_relief_flow_pages(client, tree, people, members):
    from grassroots.conftest import make_user

    village_sj = make_user("village_sj", "secretary", tree.village)
    client.force_login(people.secretary_a)
    url = reverse("dues:relief_new", args=[members.a1.pk])
    assert "请填写党员的困难情况" in client.post(url, {"kind": "exempt", "from_month": "2026-01", "to_month": "2026-02"}).content.decode()
    assert client.post(url, {"kind": "exempt", "from_month": "2026-01", "to_month": "2026-02", "reason": "重病"}).status_code == 302
    client.force_login(village_sj)
    page = client.get(reverse("dues:reliefs"))
    relief = page.context["page"][0]
    assert relief.can_approve
    client.post(reverse("dues:relief_decide", args=[relief.pk]), {"approve": "1"})
    relief.refresh_from_db()
    assert relief.state == "approved"


def test_member_sees_own_dues_only(client, tree, people, members):
    declared(members.a1, tree.branch_a)
    client.force_login(people.member_a)
    r = client.get(reverse("dues:home"))
    assert r.url == reverse("dues:declare", args=[members.a1.pk])
    page = client.get(r.url)
    assert "我的党费" in page.content.decode() and "核定记录" in page.content.decode() and 'name="base"' not in page.content.decode()
    assert client.post(r.url, {"year": "2026", "category": "student"}).status_code == 403
    assert client.get(reverse("dues:declare", args=[members.a2.pk])).status_code == 404


def test_collect_search_by_initials(client, tree, people, members):
    client.force_login(people.secretary_a)
    page = client.get(reverse("dues:collect", args=[tree.branch_a.pk]), {"q": "LS"})
    names = [r["member"].name for r in page.context["rows"]]
    assert names == ["李四"]


def test_arrears_page_queries_do_not_grow_with_members(client, tree, people, members, django_assert_max_num_queries):
    for n in range(30):
        m = make_member(tree.branch_a, f"欠缴{n}")
        declared(m, tree.branch_a)
        for k in range(1, 8):
            record(m, tree.branch_a, months_ago(k))
    client.force_login(people.dept_a)
    for params in ({}, {"six": "1"}, {"q": "欠缴1"}):
        with django_assert_max_num_queries(14):
            page = client.get(reverse("dues:arrears", args=[tree.village.pk]), params)
        assert page.context["rows"] and all(r["six_months"] for r in page.context["rows"])


def test_carry_over_button(client, tree, people, members):
    year = this_month().year
    declared(members.a1, tree.branch_a, since=datetime.date(year - 1, 1, 1))
    client.force_login(people.secretary_a)
    page = client.get(reverse("dues:collect", args=[tree.branch_a.pk]))
    assert "沿用上年基数" in page.content.decode()
    r = client.post(reverse("dues:carry_over", args=[tree.branch_a.pk]), {"year": year})
    assert r.status_code == 302 and DuesDeclaration.objects.filter(year=year, member=members.a1).exists()


def test_declare_page_queries_do_not_grow_with_reliefs(client, tree, people, members, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.dues.models import DuesRelief

    def relief(n):
        DuesRelief.objects.create(
            member=members.a1, org=tree.branch_a, org_path=tree.branch_a.path, kind="exempt", from_month=datetime.date(2026, n, 1),
            to_month=datetime.date(2026, n, 1), reason="困难", decided_by=people.secretary_a,
        )

    client.force_login(people.secretary_a)
    url = reverse("dues:declare", args=[members.a1.pk])
    relief(1)
    with CaptureQueriesContext(connection) as one:
        assert "张三" in client.get(url).content.decode()
    for n in range(2, 6):
        relief(n)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("免交党费") == 5
