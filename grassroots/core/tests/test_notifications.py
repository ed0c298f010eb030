"""In-platform notifications: planned meetings and reminders create them; each user reads only their own."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from grassroots.conftest import make_member, make_user
from grassroots.core import notifications
from grassroots.core.models import Notification
from grassroots.members.choices import State
from grassroots.orglife import reminders, services
from grassroots.orglife.tests.factories import at

pytestmark = pytest.mark.django_db


def plan(people, tree, **extra):
    data = {"kind": "theme_day", "starts_at": at(2026, 11, 5, 14, 30), "topic": "学习党章", "place": "村部会议室", **extra}
    return services.plan_meeting(people.secretary_a, tree.branch_a, data)


def test_planning_notifies_exactly_the_roll_members_with_accounts(tree, people, members):
    with_account = make_member(tree.group_a, "钱七", user=make_user("qianqi"))  # in a group of the branch: on the roll
    make_member(tree.branch_a, "孙八")  # no account
    make_member(tree.branch_a, "周九", user=make_user("zhoujiu"), joined_on=datetime.date(2026, 12, 1))  # joins after the meeting
    make_member(tree.branch_a, "吴十", user=make_user("wushi"), state=State.LEFT)  # no longer on the register
    members.b1.user = make_user("wangwu")  # the sibling branch
    members.b1.save()

    meeting = plan(people, tree)

    rows = Notification.objects.filter(kind=Notification.Kind.MEETING_PLANNED)
    assert {n.recipient_id for n in rows} == {people.member_a.pk, with_account.user_id}
    assert rows.count() == 2
    n = rows.get(recipient=people.member_a)
    assert n.title == "一支部安排了主题党日：学习党章"
    assert "2026-11-05 14:30" in n.body and "村部会议室" in n.body  # Asia/Shanghai, not UTC
    assert n.link == f"/orglife/{meeting.pk}/"
    assert n.org_path == tree.branch_a.path and n.read_at is None


def test_a_refused_plan_notifies_nobody(tree, people, members):
    from grassroots.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.plan_meeting(people.secretary_b, tree.branch_a, {"kind": "theme_day", "starts_at": at(2026, 11, 5), "topic": "越权"})
    assert not Notification.objects.exists()


def test_reminders_notify_the_secretary_once(tree, people, members):
    assert reminders.send_reminders(today=datetime.date(2026, 3, 25)) > 0
    mine = Notification.objects.filter(recipient=people.secretary_a, kind=Notification.Kind.REMINDER)
    assert mine.count() == people.secretary_a.orglife_reminders.count() > 0
    assert all(n.link == f"/orglife/compliance/{tree.branch_a.pk}/" for n in mine)
    assert not Notification.objects.filter(recipient=people.secretary_a, org_path__startswith=tree.branch_b.path).exists()
    before = Notification.objects.count()
    reminders.send_reminders(today=datetime.date(2026, 3, 26))
    assert Notification.objects.count() == before  # not twice


def test_notify_refuses_links_outside_the_site(people):
    for link in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"):
        with pytest.raises(ValueError):
            notifications.notify([people.member_a], title="x", link=link)
    assert notifications.notify([people.member_a, people.member_a.pk, None], title="x", link="/orglife/") == 1


def test_open_marks_read_and_redirects(client, tree, people, members):
    meeting = plan(people, tree)
    n = Notification.objects.get(recipient=people.member_a)
    client.force_login(people.member_a)
    response = client.get(f"/notifications/{n.pk}/")
    assert response.status_code == 302 and response.url == f"/orglife/{meeting.pk}/"
    n.refresh_from_db()
    first = n.read_at
    assert first is not None
    assert client.get(response.url).status_code == 200  # the member may open the meeting they are told about
    client.post(f"/notifications/{n.pk}/")
    n.refresh_from_db()
    assert n.read_at == first  # reading twice keeps the first time


def test_open_never_redirects_off_site(client, people):
    n = Notification.objects.create(recipient=people.member_a, title="x", link="https://evil.example/")  # written around notify()
    client.force_login(people.member_a)
    response = client.get(f"/notifications/{n.pk}/")
    assert response.status_code == 302 and response.url == "/notifications/"


def test_mark_all_read_page(client, people):
    notifications.notify([people.member_a, people.secretary_a], title="甲", link="/")
    notifications.notify([people.member_a], title="乙", link="/")
    client.force_login(people.member_a)
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=people.member_a, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=people.secretary_a).read_at is None  # someone else's stays unread


def test_list_page_is_own_newest_first_unread_highlighted(client, people):
    notifications.notify([people.member_a], title="旧通知", link="/")
    notifications.notify([people.member_a], title="新通知", link="/")
    notifications.notify([people.secretary_a], title="别人的通知", link="/")
    notifications.mark_read(people.member_a, Notification.objects.get(title="旧通知"))
    client.force_login(people.member_a)
    html = client.get("/notifications/").content.decode()
    assert html.index("新通知") < html.index("旧通知")
    assert "别人的通知" not in html
    assert html.count('class="notification unread"') == 1
    unread_only = client.get("/notifications/", {"unread": "1"}).content.decode()
    assert "新通知" in unread_only and "旧通知" not in unread_only


def test_another_users_notification_is_404(client, api, people):
    theirs = Notification.objects.create(recipient=people.secretary_a, title="别人的通知", link="/")
    client.force_login(people.member_a)
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/").status_code == 404
    api.as_user(people.member_a)
    assert api.send("post", f"/notifications/{theirs.pk}/read", {}).status_code == 404
    assert api.send("post", "/notifications/999999/read", {}).status_code == 404
    with pytest.raises(Http404):  # the service refuses too
        notifications.mark_read(people.member_a, theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_list_read_and_read_all(api, people):
    notifications.notify([people.member_a], title="一", link="/a/", kind=Notification.Kind.REMINDER)
    notifications.notify([people.member_a], title="二", link="/b/")
    notifications.notify([people.secretary_a], title="别人的", link="/")
    api.as_user(people.member_a)
    body = api.get("/notifications").json()
    assert body["count"] == 2 and body["unread"] == 2
    assert [i["title"] for i in body["items"]] == ["二", "一"]
    first = body["items"][1]
    assert first["kind"] == "reminder" and first["kind_label"] == "工作提醒" and first["link"] == "/a/" and not first["is_read"]
    read = api.send("post", f"/notifications/{first['id']}/read", {})
    assert read.status_code == 200 and read.json()["is_read"] and read.json()["read_at"]
    body = api.get("/notifications", unread="true").json()
    assert body["count"] == 1 and [i["title"] for i in body["items"]] == ["二"]
    assert api.send("post", "/notifications/read-all", {}).json() == {"marked": 1}
    assert api.get("/notifications", unread="true").json()["count"] == 0
    assert Notification.objects.get(recipient=people.secretary_a).read_at is None
    assert api.get("/notifications", page_size=1, page=2).json()["items"][0]["title"] == "一"


def test_bell_shows_the_unread_count(client, people):
    client.force_login(people.member_a)
    html = client.get("/notifications/").content.decode()
    assert 'class="bell"' in html and 'class="badge"' not in html
    notifications.notify([people.member_a], title="一", link="/")
    notifications.notify([people.member_a], title="二", link="/")
    notifications.notify([people.secretary_a], title="别人的", link="/")
    html = client.get("/").content.decode()
    assert 'aria-label="2 条未读"' in html
    notifications.mark_all_read(people.member_a)
    assert 'class="badge"' not in client.get("/").content.decode()
    Notification.objects.bulk_create([Notification(recipient=people.member_a, title=str(i)) for i in range(120)])
    assert ">99+<" in client.get("/").content.decode()


def _queries(client, url, params=None, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed(client, api, people):
    from grassroots.accounts import services as account_services

    _t, raw = account_services.create_token(people.member_a, "计数")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.force_login(people.member_a)
    notifications.notify([people.member_a], title="一", link="/")
    _queries(client, "/api/v1/notifications", **headers)  # the token's first use is recorded once
    small = (_queries(client, "/notifications/"), _queries(client, "/api/v1/notifications", {"page_size": 200}, **headers))
    Notification.objects.bulk_create([Notification(recipient=people.member_a, title=str(i), link="/") for i in range(80)])
    large = (_queries(client, "/notifications/"), _queries(client, "/api/v1/notifications", {"page_size": 200}, **headers))
    assert large == small
