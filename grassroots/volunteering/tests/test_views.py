import pytest
from django.urls import reverse

from grassroots.conftest import make_member
from grassroots.volunteering import services
from grassroots.volunteering.models import Registration

from .factories import community_setup, confirmed, post_with_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(tree, people, members):
    return community_setup(tree, people, members)


def test_member_registers_and_desk_confirms_through_pages(client, s, people, members):
    client.force_login(people.member_a)
    assert client.get(reverse("volunteering:my")).status_code == 200
    response = client.post(reverse("volunteering:register"), {"community": s.community.pk, "basis": "live"})
    assert response.status_code == 302
    reg = Registration.objects.get(member=members.a1)
    client.force_login(s.desk)
    page = client.get(reverse("volunteering:desk"))
    assert "张三" in page.content.decode()
    client.post(reverse("volunteering:desk_registration", args=[reg.pk]), {"accept": "1"})
    reg.refresh_from_db()
    assert reg.state == "confirmed"


def test_bad_input_shows_chinese_error_and_saves_nothing(client, s, people, members):
    confirmed(s, people, members.a1)
    client.force_login(people.member_a)
    response = client.post(reverse("volunteering:report_hours"), {"served_on": "2026-11-01", "hours": "80", "content": "巡逻"}, follow=True)
    assert "单次服务时长不超过" in response.content.decode()
    from grassroots.volunteering.models import ServiceLog

    assert not ServiceLog.objects.exists()


def test_desk_page_query_count_does_not_grow(client, s, tree, people, members, django_assert_max_num_queries):
    post_with_slot(s)
    for i in range(3):
        confirmed(s, people, make_member(tree.branch_a, f"甲{i}"), user=people.secretary_a)
    client.force_login(s.desk)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("volunteering:desk"))
    for i in range(10):
        reg = confirmed(s, people, make_member(tree.branch_a, f"乙{i}"), user=people.secretary_a)
        services.record_hours(s.desk, reg.member, s.community, {"served_on": "2026-11-01", "hours": "2", "content": "巡逻"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("volunteering:desk"))


def test_unit_page_stats_and_exports(client, s, people, members):
    confirmed(s, people, members.a1)
    client.force_login(people.secretary_a)
    for name in ("unit", "unit_export", "stats", "stats_export", "unit_template"):
        assert client.get(reverse(f"volunteering:{name}")).status_code == 200, name
    assert client.get(reverse("volunteering:statement", args=[members.a1.pk])).status_code == 200
    client.force_login(people.secretary_b)
    assert client.get(reverse("volunteering:statement", args=[members.a1.pk])).status_code == 404


def test_api_register_and_decide(api, s, people, members):
    reg = api.as_user(people.member_a).send("post", "/volunteering/registrations",
                                            {"member_id": members.a1.pk, "community_id": s.community.pk, "basis": "live"})
    assert reg.status_code == 201, reg.content
    out = api.as_user(s.desk).send("post", f"/volunteering/registrations/{reg.json()['id']}/decide", {"accept": True})
    assert out.json()["state"] == "confirmed"
    listing = api.as_user(people.secretary_a).get("/volunteering/registrations")
    assert listing.json()["count"] == 1


def test_member_record_page_shows_registration_hours_and_evaluations(client, s, tree, people, members):
    """The member's record (members:detail) carries the 双报到 card, for 民主评议: registration, hours, evaluations."""
    from django.utils import timezone

    reg = confirmed(s, people, members.a1)
    day = timezone.localdate()  # this year's card
    services.record_hours(s.desk, members.a1, s.community, {"served_on": day.isoformat(), "hours": "3.5", "content": "巡逻"})
    services.evaluate(s.desk, s.community, reg.unit, {"year": day.year, "quarter": 0, "grade": "excellent", "comment": "服务积极主动"},
                      member=members.a1)
    client.force_login(people.secretary_a)
    html = client.get(reverse("members:detail", args=[members.a1.pk])).content.decode()
    card = html[html.index('id="volunteering-record"'):]
    assert "湖塘镇清和社区党委" in card and "已报到" in card
    assert '<strong id="volunteering-record-hours">3.5</strong>' in card
    assert "优秀" in card and "服务积极主动" in card
    client.force_login(people.member_a)
    mine = client.get(reverse("volunteering:my")).content.decode()
    assert "3.5" in mine and "4 分" in mine  # 3.5 hours at one point an hour, rounded up, credited by the points app


def test_unit_sees_the_needs_list_and_desk_closes_a_need(client, s, tree, people, members):
    from grassroots.volunteering.models import Need

    confirmed(s, people, members.a1)
    need = services.publish_need(s.desk, s.community, {"category": s.category.pk, "title": "老年人防诈骗宣讲"})
    client.force_login(people.secretary_a)
    unit = client.get(reverse("volunteering:unit")).content.decode()
    assert "老年人防诈骗宣讲" in unit[unit.index('id="needs"'):]
    client.force_login(people.secretary_b)  # no member of 支部乙 registered there
    assert "老年人防诈骗宣讲" not in client.get(reverse("volunteering:unit")).content.decode()
    client.force_login(s.desk)
    client.post(reverse("volunteering:desk_close_need", args=[need.pk]))
    assert not Need.objects.get(pk=need.pk).is_open
    again = client.post(reverse("volunteering:desk_close_need", args=[need.pk]), follow=True).content.decode()
    assert "该需求已结束征集" in again
    client.force_login(people.secretary_a)
    unit = client.get(reverse("volunteering:unit")).content.decode()
    assert "老年人防诈骗宣讲" not in unit[unit.index('id="needs"'):unit.index("资源清单</h2>")]


def test_desk_says_when_no_service_category_exists(client, s):
    from grassroots.volunteering.models import ServiceCategory

    ServiceCategory.objects.update(is_active=False)
    client.force_login(s.desk)
    assert "尚未设置服务类别" in client.get(reverse("volunteering:desk")).content.decode()


def test_api_lists_claimable_slots_and_evaluations(api, s, people, members):
    reg = confirmed(s, people, members.a1)
    _post, slot = post_with_slot(s)
    slots = api.as_user(people.member_a).get("/volunteering/slots").json()
    assert [x["id"] for x in slots] == [slot.pk] and slots[0]["capacity"] == 2
    assert api.as_user(people.secretary_b).get("/volunteering/slots").json() == []
    claim = api.as_user(people.member_a).send("post", f"/volunteering/slots/{slot.pk}/claim", {})
    assert claim.status_code == 201
    assert api.as_user(s.desk).get("/volunteering/slots").json()[0]["taken"] == 1
    services.evaluate(s.desk, s.community, reg.unit, {"year": 2026, "quarter": 0, "grade": "good", "comment": "按时到岗"}, member=members.a1)
    mine = api.as_user(people.secretary_a).get("/volunteering/evaluations?year=2026").json()
    assert [(e["member_id"], e["grade"], e["comment"]) for e in mine] == [(members.a1.pk, "good", "按时到岗")]
    assert api.as_user(people.secretary_b).get("/volunteering/evaluations").json() == []
