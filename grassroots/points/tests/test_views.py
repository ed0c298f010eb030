import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.conftest import make_member
from grassroots.dues.tests.factories import months_ago
from grassroots.orglife.tests.factories import at, held
from grassroots.points.models import PointEntry, StarRating

pytestmark = pytest.mark.django_db


def test_home_redirects(client, tree, people):
    client.force_login(people.member_a)
    assert client.get(reverse("points:home")).url == reverse("points:mine")
    client.force_login(people.secretary_a)
    assert client.get(reverse("points:home")).url == reverse("points:org", args=[tree.branch_a.pk])


def test_member_sees_own_points_and_where_they_came_from(client, tree, people, members):
    from grassroots.points import services

    last = months_ago(1)
    held(tree.branch_a, "theme_day", at(last.year, last.month, 5), state="confirmed", present=[members.a1])
    services.recompute_points(tree.branch_a, last.year)
    client.force_login(people.member_a)
    html = client.get(reverse("points:mine"), {"year": last.year}).content.decode()
    assert "主题党日：测试会议" in html and "+2" in html and "组织生活出席记录" in html
    bad = client.post(reverse("points:mine"), {"category": "service", "points": "50", "description": ""})
    assert "不超过" in bad.content.decode() and "请填写事由" in bad.content.decode()
    assert not PointEntry.objects.filter(source="manual").exists()
    ok = client.post(reverse("points:mine"), {"category": "service", "points": "3", "description": "敬老院志愿服务"})
    assert ok.status_code == 302 and PointEntry.objects.get(source="manual").state == "pending"


def test_mine_without_member_record(client, people):
    client.force_login(people.secretary_a)
    assert "没有关联党员档案" in client.get(reverse("points:mine")).content.decode()


def test_branch_page_decide_rate_confirm_export(client, tree, people, members, django_assert_max_num_queries):
    for n in range(15):
        make_member(tree.group_a, f"党员乙{n}")
    year = timezone.localdate().year
    entry = PointEntry.objects.create(member=members.a1, org_path=members.a1.org_path, date=datetime.date(year, 1, 2), year=year,
                                      category="service", points=20, source="manual", description="抗洪志愿服务", state="pending")
    client.force_login(people.secretary_a)
    url = reverse("points:org", args=[tree.branch_a.pk])
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert "抗洪志愿服务" in html and "待审核" in html
    client.post(reverse("points:entry_decide", args=[entry.pk]), {"approve": "1"})
    entry.refresh_from_db()
    assert entry.state == "approved"
    client.post(reverse("points:rate", args=[tree.branch_a.pk]), {"year": year})
    assert StarRating.objects.get(member=members.a1, year=year).stars == 1
    client.post(reverse("points:confirm", args=[tree.branch_a.pk]), {"year": year})
    assert StarRating.objects.filter(org=tree.branch_a, year=year, confirmed=False).count() == 0
    response = client.get(reverse("points:export", args=[tree.branch_a.pk]), {"year": year})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:5] == ("序号", "姓名", "党支部", "年度积分", "星级") and rows[1][1] == "张三" and rows[1][4] == 1


def test_recompute_button_answers_htmx(client, tree, people, members):
    client.force_login(people.secretary_a)
    r = client.post(reverse("points:recompute", args=[tree.branch_a.pk]), {"year": 2026}, HTTP_HX_REQUEST="true")
    assert "已重新计算2026年积分" in r.content.decode()
    client.force_login(people.supervisor)
    assert client.post(reverse("points:recompute", args=[tree.branch_a.pk]), {"year": 2026}).status_code == 403


def test_committee_page_counts_stars_per_branch(client, tree, people, members):
    StarRating.objects.create(member=members.a1, org=tree.branch_a, org_path=tree.branch_a.path, year=2025, total=45, stars=3, thresholds=[1, 2, 3, 4, 5])
    StarRating.objects.create(member=members.b1, org=tree.branch_b, org_path=tree.branch_b.path, year=2025, total=5, stars=0, thresholds=[1, 2, 3, 4, 5])
    client.force_login(people.dept_a)
    page = client.get(reverse("points:org", args=[tree.village.pk]), {"year": 2025})
    counts = {c["org"]: c["counts"] for c in page.context["counts"]}
    assert counts[tree.branch_a][3] == 1 and counts[tree.branch_b][0] == 1


def test_rules_page(client, tree, people):
    client.force_login(people.secretary_a)
    url = reverse("points:rules", args=[tree.branch_a.pk])
    assert "全市默认" in client.get(url).content.decode()
    data = {"meeting_present": "2", "dues_on_time": "1", "absent": "-2", "dues_unpaid": "-1", "star1": "5", "star2": "4", "star3": "6", "star4": "7", "star5": "8"}
    assert "逐级递增" in client.post(url, data).content.decode()
    data["star2"] = "5.5"
    assert "请输入整数" in client.post(url, data).content.decode()
    data["star2"] = "6"
    data["star3"] = "7"
    data["star4"] = "8"
    data["star5"] = "9"
    assert client.post(url, data).status_code == 302


def test_recompute_refuses_a_too_large_subtree(client, tree, people, members, settings):
    settings.GRASSROOTS_POINTS_RECOMPUTE_MAX_MEMBERS = 1
    client.force_login(people.dept_a)
    r = client.post(reverse("points:recompute", args=[tree.village.pk]), {"year": 2026}, HTTP_HX_REQUEST="true")
    assert "超过 1 名" in r.content.decode()


def test_branch_page_marks_members_on_the_six_month_list(client, tree, people, members):
    """The same function as the six-month list (counted to the day): read on today for this year, on 31 December
    for a past year."""
    from grassroots.points.views import branch_rows, six_month_day

    today = timezone.localdate()
    assert six_month_day(today.year, today) == today and six_month_day(2025, today) == datetime.date(2025, 12, 31)
    held(tree.branch_a, "theme_day", at(2025, 6, 30), present=[members.a1, members.a2])
    rows, _rule = branch_rows(tree.branch_a, 2025)
    assert {r["member"].name: r["six_months"] for r in rows} == {"张三": True, "李四": False}  # 30 Jun + 6 months = 30 Dec
    client.force_login(people.secretary_a)
    html = client.get(reverse("points:org", args=[tree.branch_a.pk]), {"year": 2025}).content.decode()
    assert html.count("连续六个月未参加组织生活</span>") == 1
