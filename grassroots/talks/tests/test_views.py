import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from grassroots.core.models import AuditLog
from grassroots.talks import services
from grassroots.talks.models import Talk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(people, member, **extra):
    return services.record_talk(people.secretary_a, member, {
        "held_on": TODAY, "kind": "heart", "talker_name": "王书记", "topic": f"与{member.name}谈心", "summary": "谈了近况", **extra,
    })


def xlsx_rows(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def test_list_search_and_filters(client, tree, people, members):
    record(people, members.a1)
    record(people, members.a2, follow_up="复谈")
    client.force_login(people.secretary_a)
    page = client.get(reverse("talks:talk_list")).content.decode()
    assert "与张三谈心" in page and "与李四谈心" in page and "待落实" in page
    assert "与张三谈心" not in client.get(reverse("talks:talk_list"), {"q": "ls"}).content.decode()  # 李四 by initials
    assert "与张三谈心" not in client.get(reverse("talks:talk_list"), {"follow_up": "open"}).content.decode()


def test_list_pages_run_a_fixed_number_of_queries(client, tree, people, members, django_assert_max_num_queries):
    for _ in range(3):
        record(people, members.a1)
        record(people, members.a2)
    client.force_login(people.secretary_a)
    for name in ("talks:talk_list", "talks:worklist", "talks:coverage"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


def test_member_role_cannot_read_talks(client, tree, people, members):
    talk = record(people, members.a1)
    client.force_login(people.member_a)
    assert client.get(reverse("talks:talk_list")).status_code == 403
    assert client.get(reverse("talks:talk_detail", args=[talk.pk])).status_code == 404
    client.force_login(people.supervisor)  # reads, cannot change
    assert client.get(reverse("talks:talk_detail", args=[talk.pk])).status_code == 200
    assert client.get(reverse("talks:talk_new", args=[members.a1.pk])).status_code == 403


def test_worklist_links_to_a_prefilled_form_and_the_talk_clears_the_flag(client, tree, people, members):
    client.force_login(people.secretary_a)
    page = client.get(reverse("talks:worklist")).content.decode()
    assert "张三" in page and "连续六个月未参加组织生活" in page
    url = reverse("talks:talk_new", args=[members.a1.pk]) + "?reason=no_orglife"
    form = client.get(url).content.decode()
    assert 'value="no_orglife" id="id_reasons_0" checked' in form and 'value="no_dues" id="id_reasons_1" checked' not in form
    response = client.post(url, {
        "held_on": TODAY.isoformat(), "kind": "reminder", "talker_name": "王书记", "topic": "了解未参加组织生活的原因",
        "summary": "外出务工，已联系所在地党组织", "reasons": ["no_orglife"],
    })
    talk = Talk.objects.get()
    assert response.status_code == 302 and response.url == reverse("talks:talk_detail", args=[talk.pk])
    assert talk.reasons == ["no_orglife"]
    client.get(reverse("talks:talk_detail", args=[talk.pk]))  # shows the success message
    assert "张三" not in client.get(reverse("talks:worklist")).content.decode()


def test_bad_form_shows_chinese_errors_and_saves_nothing(client, tree, people, members):
    client.force_login(people.secretary_a)
    response = client.post(reverse("talks:talk_new", args=[members.a1.pk]), {
        "held_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "kind": "heart", "talker_name": "王书记", "topic": "谈话",
        "summary": "内容", "follow_up": "复谈", "follow_up_due": "2000-01-01",
    })
    page = response.content.decode()
    assert response.status_code == 200 and "谈话日期不能晚于今天" in page and "措施完成期限不能早于谈话日期" in page
    assert not Talk.objects.exists()


def test_amend_and_follow_up_through_the_pages(client, tree, people, members):
    talk = record(people, members.a1, follow_up="一个月后复谈")
    client.force_login(people.secretary_a)
    form = {f: getattr(talk, f) for f in ("kind", "talker_name", "topic", "summary", "follow_up")}
    response = client.post(reverse("talks:talk_amend", args=[talk.pk]), {
        **form, "held_on": TODAY.isoformat(), "follow_up_due": talk.follow_up_due.isoformat(), "topic": "学习情况", "reason": "",
    })
    assert "请填写更正理由" in response.content.decode() or "这个字段是必填项" in response.content.decode()
    client.post(reverse("talks:talk_amend", args=[talk.pk]), {
        **form, "held_on": TODAY.isoformat(), "follow_up_due": talk.follow_up_due.isoformat(), "topic": "学习情况", "reason": "记错",
    })
    talk.refresh_from_db()
    assert talk.topic == "学习情况"
    bad = client.post(reverse("talks:talk_follow_up", args=[talk.pk]), {"follow_up_done_on": TODAY.isoformat(), "follow_up_result": ""})
    assert bad.status_code == 422
    client.post(reverse("talks:talk_follow_up", args=[talk.pk]), {"follow_up_done_on": TODAY.isoformat(), "follow_up_result": "已复谈"})
    talk.refresh_from_db()
    assert talk.follow_up_done_on == TODAY
    assert "已复谈" in client.get(reverse("talks:talk_detail", args=[talk.pk])).content.decode()


def test_excel_ledger_and_worklist_are_audited(client, tree, people, members):
    record(people, members.a1, reasons=["no_orglife"])
    client.force_login(people.secretary_a)
    rows = xlsx_rows(client.get(reverse("talks:talk_export")))
    assert rows[0][:3] == ["谈话日期", "谈话对象", "所在党组织"] and rows[1][1] == "张三" and rows[1][8] == "连续六个月未参加组织生活"
    rows = xlsx_rows(client.get(reverse("talks:worklist_export")))
    assert [r[0] for r in rows[1:]] == ["李四"]  # 张三 had a talk today
    assert AuditLog.objects.filter(action="export", note__contains="谈心谈话").count() == 2


def test_coverage_page(client, tree, people, members):
    record(people, members.a1)
    client.force_login(people.secretary_a)
    page = client.get(reverse("talks:coverage"), {"org": tree.branch_a.pk}).content.decode()
    assert "已谈 1 / 2 人，50%" in page and "李四" in page


def test_member_page_lists_the_members_talks(client, tree, people, members):
    record(people, members.a1)
    client.force_login(people.secretary_a)
    page = client.get(reverse("talks:member_talks", args=[members.a1.pk])).content.decode()
    assert "与张三谈心" in page and reverse("talks:talk_new", args=[members.a1.pk]) in page


def test_member_page_lists_only_talks_the_reader_may_open(client, tree, people, members):
    """After a transfer, the branch the member left keeps its talk record; the new branch's page does not list it
    (its detail page would be a 404)."""
    from grassroots.members import services as member_services

    record(people, members.a1)
    member_services.transfer_member(people.secretary_b, members.a1, tree.branch_b, happened_on=TODAY, document="转字1号")
    client.force_login(people.secretary_b)
    page = client.get(reverse("talks:member_talks", args=[members.a1.pk])).content.decode()
    assert "与张三谈心" not in page and "还没有谈心谈话记录" in page
    client.force_login(people.secretary_a)
    assert "与张三谈心" in client.get(reverse("talks:talk_list")).content.decode()
