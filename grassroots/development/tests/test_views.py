import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import AuditLog
from grassroots.development import services
from grassroots.development.models import Applicant, StepRecord
from grassroots.development.synthetic import advance

from .conftest import TODAY, person

pytestmark = pytest.mark.django_db


def many(dev, tree, n):
    for i in range(n):
        a = services.apply(dev.secretary, tree.branch_a, person(name=f"申请人{i}", applied_on=datetime.date(2025, 1, 1 + i)), today=TODAY)
        if i % 3 == 0:
            advance(a, "contacts", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)


def test_board_counts_stages_and_lists_overdue(client, dev, tree, people):
    advance(dev.applicant, "approval", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    services.apply(dev.secretary, tree.branch_a, person(name="周雨萱", applied_on=datetime.date(2026, 9, 1)), today=TODAY)
    client.force_login(dev.village)
    response = client.get(reverse("development:board_org", args=[tree.village.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-stage="applicant">1<' in html and 'data-stage="probationary">1<' in html
    assert "一支部" in html and "二支部" in html
    assert "周雨萱" in html and "未在1个月内谈话" in html  # applied in September, no talk
    assert 'id="development-board-data"' in html and "development/board.js" in html


def test_board_of_the_current_scope(client, dev, people):
    client.force_login(people.secretary_a)
    response = client.get(reverse("development:board"))
    assert response.status_code == 200 and "登记入党申请" in response.content.decode()
    client.force_login(people.supervisor)
    assert "登记入党申请" not in client.get(reverse("development:board")).content.decode()


def test_board_and_list_queries_do_not_grow(client, dev, tree, django_assert_max_num_queries):
    client.force_login(dev.town)
    many(dev, tree, 3)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("development:board_org", args=[tree.town.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("development:list"), {"org": tree.town.pk}).status_code == 200
    many(dev, tree, 12)
    with django_assert_max_num_queries(14):
        client.get(reverse("development:board_org", args=[tree.town.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("development:list"), {"org": tree.town.pk})


def test_list_search_by_name_and_initials_and_stage(client, dev, tree, people):
    services.apply(dev.secretary, tree.branch_a, person(name="周雨萱", applied_on=datetime.date(2026, 9, 1)), today=TODAY)
    client.force_login(people.secretary_a)
    url = reverse("development:list")
    assert "周雨萱" in client.get(url, {"q": "zyx"}).content.decode()
    html = client.get(url, {"q": "周"}).content.decode()
    assert "周雨萱" in html and "陈晓东" not in html
    assert "周雨萱" not in client.get(url, {"stage": "activist"}).content.decode()
    assert "陈晓东" in client.get(url, {"overdue": "1"}).content.decode()


def test_application_form_shows_chinese_errors_and_saves_nothing(client, dev, tree, people):
    client.force_login(people.secretary_a)
    url = reverse("development:apply", args=[tree.branch_a.pk])
    count = Applicant.objects.count()
    response = client.post(url, {"name": "小王", "gender": "male", "ethnicity": "01", "birth_date": "2010-01-01", "applied_on": "2026-01-05"})
    assert response.status_code == 200 and "递交申请时应年满18周岁" in response.content.decode()
    assert Applicant.objects.count() == count
    response = client.post(url, {"name": "小王", "gender": "male", "ethnicity": "01", "birth_date": "1999-01-01", "applied_on": "2026-01-05"})
    assert response.status_code == 302 and Applicant.objects.count() == count + 1
    client.force_login(people.secretary_b)
    assert client.get(url).status_code == 404


def test_detail_shows_timeline_and_only_the_next_steps_form(client, dev, people):
    client.force_login(people.secretary_a)
    url = reverse("development:detail", args=[dev.applicant.pk])
    html = client.get(url).content.decode()
    assert "递交入党申请书" in html and "办理：党组织派人谈话" in html and 'data-print' in html
    assert "138****5678" in html and "13812345678" not in html


def test_step_form_records_with_warning_and_refuses_out_of_order(client, dev, people):
    client.force_login(people.secretary_a)
    url = reverse("development:step", args=[dev.applicant.pk])
    response = client.post(url, {"code": "activist", "date": "2024-03-01"})
    assert response.status_code == 200 and "请先办理：党组织派人谈话" in response.content.decode()
    response = client.post(url, {"code": "talk", "date": "2024-03-01", "documents": "谈话记录"}, follow=True)
    assert "逾期办理" in response.content.decode()
    assert StepRecord.objects.filter(code="talk", documents="谈话记录").exists()


def test_higher_step_page_is_refused_to_the_branch(client, dev, people):
    advance(dev.applicant, "activist", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    client.force_login(people.secretary_a)
    url = reverse("development:step", args=[dev.applicant.pk])
    assert client.get(url, {"code": "activist_filing"}).status_code == 403
    assert "上级党委办理" in client.get(reverse("development:detail", args=[dev.applicant.pk])).content.decode()
    client.force_login(dev.town)
    assert client.post(url, {"code": "activist_filing", "date": "2024-03-20"}).status_code == 302


def test_vote_form_lists_the_roll(client, dev, people, members):
    advance(dev.applicant, "application_form", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    client.force_login(people.secretary_a)
    url = reverse("development:step", args=[dev.applicant.pk])
    html = client.get(url, {"code": "admission_vote"}).content.decode()
    assert "张三" in html and "钱七" in html and "李四" not in html  # the probationary member has no vote
    response = client.post(url, {"code": "admission_vote", "date": "2025-06-05", "present_ids": [members.a1.pk], "votes_for": 1, "against": 0, "abstain": 0})
    assert "不能进行表决" in response.content.decode()


def test_correction_page(client, dev, people):
    advance(dev.applicant, "activist", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    talk = dev.applicant.steps.get(code="talk")
    client.force_login(people.secretary_a)
    url = reverse("development:correct", args=[talk.pk])
    assert "更正理由" in client.post(url, {"date": "2024-01-25"}).content.decode()
    assert client.post(url, {"date": "2024-01-25", "reason": "笔误"}).status_code == 302
    assert StepRecord.objects.filter(corrects=talk).exists()


def test_ledger_export_opens_and_is_audited(client, dev, tree):
    advance(dev.applicant, "approval", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    client.force_login(dev.town)
    response = client.get(reverse("development:export", args=[tree.town.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "姓名" and "上级党委审批" in rows[0]
    assert rows[1][0] == "陈晓东" and rows[1][7] == "预备党员"
    assert rows[1][rows[0].index("上级党委审批")] is not None
    assert AuditLog.objects.filter(action="export").exists()


def test_step_with_a_scanned_document(client, dev, people, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.secretary_a)
    url = reverse("development:step", args=[dev.applicant.pk])
    bad = SimpleUploadedFile("谈话记录.pdf", b"MZ not a pdf")
    response = client.post(url, {"code": "talk", "date": "2024-01-20", "attachment": bad})
    assert response.status_code == 200 and not StepRecord.objects.filter(code="talk").exists()
    good = SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(url, {"code": "talk", "date": "2024-01-20", "attachment": good}).status_code == 302
    item = StepRecord.objects.get(code="talk").attachments.get()
    assert item.original_name == "谈话记录.pdf" and item.size == 15
    assert "谈话记录.pdf" in client.get(reverse("development:detail", args=[dev.applicant.pk])).content.decode()
    response = client.get(reverse("development:attachment", args=[item.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(people.secretary_b)
    assert client.get(reverse("development:attachment", args=[item.pk])).status_code == 404


def test_readers_see_the_timeline_but_no_forms(client, dev, people):
    client.force_login(people.supervisor)
    html = client.get(reverse("development:detail", args=[dev.applicant.pk])).content.decode()
    assert "递交入党申请书" in html and "办理：" not in html and "可以办理的事项" not in html
    assert client.get(reverse("development:step", args=[dev.applicant.pk]), {"code": "talk"}).status_code == 403


def test_reveal_is_for_managers_and_audited(client, dev, people):
    url = reverse("development:reveal", args=[dev.applicant.pk, "phone"])
    client.force_login(people.supervisor)
    assert "查看完整" not in client.get(reverse("development:detail", args=[dev.applicant.pk])).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(people.secretary_a)
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert "13812345678" in response.content.decode()
    assert AuditLog.objects.filter(action="reveal", object_id=str(dev.applicant.pk)).count() == 1
