import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.models import AuditLog
from grassroots.core.roles import Role
from grassroots.members.models import Member
from grassroots.relations import services
from grassroots.relations.models import FloatingRecord, LostContactCase, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_secretary(tree):
    return make_user("tn_branch", Role.SECRETARY, tree.b_branch)


def xlsx_rows(response):
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(wb.active.iter_rows(values_only=True))


def test_issue_through_the_form_and_accept_from_the_other_district(client, tree, people, members, b_secretary):
    client.force_login(people.secretary_a)
    page = client.get(reverse("relations:transfer_new")).content.decode()
    assert "开具组织关系介绍信" in page and "core/placeholder" not in page
    found = client.get(reverse("relations:member_search"), {"q": "zs"}).content.decode()
    assert "张三" in found and "王五" not in found
    dest = client.get(reverse("relations:destinations", args=[tree.branch_a.pk]), {"dq": "天宁区某"}).content.decode()
    assert "天宁区某社区党支部" in dest
    # errors are field-level and in Chinese; nothing is saved
    response = client.post(reverse("relations:transfer_new"), {"issued_on": "2026-01-01", "valid_days": "200", "reason": ""})
    html = response.content.decode()
    assert "请选择要转出的党员" in html and "请选择" in html and not Transfer.objects.exists()
    response = client.post(reverse("relations:transfer_new"), {
        "member": members.a1.pk, "to_org": tree.b_branch.pk, "reason": "residence", "issued_on": timezone.localdate().isoformat(), "valid_days": 10,
    })
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response.url == reverse("relations:transfer_detail", args=[transfer.pk])
    detail = client.get(response.url).content.decode()
    assert transfer.letter_number in detail and "撤回介绍信" in detail and "接收党员组织关系" not in detail
    letter = client.get(reverse("relations:transfer_letter", args=[transfer.pk])).content.decode()
    assert "存根" in letter and "回执" in letter and "兹介绍 张三 同志" in letter

    client.force_login(b_secretary)
    incoming = client.get(reverse("relations:transfer_list"), {"tab": "incoming"}).content.decode()
    assert transfer.letter_number in incoming and "张三" in incoming
    assert "接收党员组织关系" in client.get(reverse("relations:transfer_detail", args=[transfer.pk])).content.decode()
    response = client.post(reverse("relations:transfer_reject", args=[transfer.pk]), {"reject-reason": ""})
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()
    response = client.post(reverse("relations:transfer_accept", args=[transfer.pk]), {"place_in": "", "note": ""})
    assert response.status_code == 302
    assert Member.objects.get(pk=members.a1.pk).org_id == tree.b_branch.pk
    # the sender still sees it among its outgoing transfers
    client.force_login(people.secretary_a)
    outgoing = client.get(reverse("relations:transfer_list"), {"tab": "outgoing", "state": "accepted"}).content.decode()
    assert transfer.letter_number in outgoing and "已接收" in outgoing
    # a sibling branch sees nothing
    client.force_login(people.secretary_b)
    assert transfer.letter_number not in client.get(reverse("relations:transfer_list")).content.decode()
    assert client.get(reverse("relations:transfer_detail", args=[transfer.pk])).status_code == 404


def test_the_sender_cannot_accept_and_the_receiver_cannot_cancel(client, tree, people, members, b_secretary):
    t = services.issue_transfer(people.secretary_a, members.a1, reason="residence", to_org=tree.b_branch)
    client.force_login(people.secretary_a)
    assert client.post(reverse("relations:transfer_accept", args=[t.pk]), {}).status_code == 403
    client.force_login(b_secretary)
    assert client.post(reverse("relations:transfer_cancel", args=[t.pk]), {"cancel-reason": "x"}).status_code == 403
    t.refresh_from_db()
    assert t.state == "issued"


def test_expired_flag_on_the_list_and_reissue_page(client, tree, people, members):
    today = timezone.localdate()
    t = services.issue_transfer(people.secretary_a, members.a1, reason="residence", to_org=tree.b_branch,
                                issued_on=today - datetime.timedelta(days=20), valid_days=10)
    soon = services.issue_transfer(people.secretary_a, make_member(tree.branch_a, "孙八"), reason="residence", to_org=tree.b_branch,
                                   issued_on=today - datetime.timedelta(days=9), valid_days=10)
    client.force_login(people.secretary_a)
    html = client.get(reverse("relations:transfer_list"), {"state": "expired"}).content.decode()
    assert t.letter_number in html and "孙八" not in html and "已过期" in html
    html = client.get(reverse("relations:transfer_list"), {"state": "issued"}).content.decode()
    assert "孙八" in html and "今天到期" in html and "张三" not in html
    reissue_url = reverse("relations:transfer_reissue", args=[t.pk])
    assert reissue_url in client.get(reverse("relations:transfer_detail", args=[t.pk])).content.decode()
    response = client.post(reissue_url, {"valid_days": 10})
    new = Transfer.objects.get(reissue_of=t)
    assert response.url == reverse("relations:transfer_detail", args=[new.pk])
    assert soon.pk
    html = client.get(reverse("relations:transfer_detail", args=[t.pk])).content.decode()
    assert new.letter_number in html and reissue_url not in html  # the old letter links to the new one, offered once


def test_list_and_export_query_counts(client, tree, people, members, django_assert_max_num_queries):
    for n in range(6):
        m = make_member(tree.branch_a, f"党员甲{n}")
        services.issue_transfer(people.secretary_a, m, reason="residence", to_org=tree.b_branch)
        services.register_floating(people.secretary_a, make_member(tree.branch_a, f"流动乙{n}"),
                                   {"left_on": datetime.date(2025, 1, 1), "destination": "上海", "reason": "work"})
        services.open_lost_contact(people.secretary_a, make_member(tree.branch_a, f"失联丙{n}"), last_contact_on=datetime.date(2025, 1, 1))
    client.force_login(people.dept_a)
    for name, limit in (("relations:transfer_list", 12), ("relations:floating_list", 14), ("relations:lost_list", 12)):
        client.get(reverse(name))  # warm caches (session, content types)
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(name)).status_code == 200
    html = client.get(reverse("relations:floating_list")).content.decode()  # broken down by the scope's child organizations
    assert "武进区委下属组织在外流动人数" in html and '<td data-label="党组织">湖塘镇党委</td><td data-label="人数">6</td>' in html
    response = client.get(reverse("relations:transfer_export"))
    rows = xlsx_rows(response)
    assert rows[0][0] == "介绍信编号" and len(rows) == 7
    rows = xlsx_rows(client.get(reverse("relations:floating_export")))
    assert rows[0][0] == "姓名" and len(rows) == 7 and rows[1][-1] == "是"
    rows = xlsx_rows(client.get(reverse("relations:lost_export")))
    assert len(rows) == 7 and rows[1][4] == 0
    assert AuditLog.objects.filter(action="export").count() == 3


def test_floating_pages(client, tree, people, members):
    client.force_login(people.secretary_a)
    response = client.post(reverse("relations:floating_new"), {"member": members.a1.pk, "left_on": "", "destination": "", "reason": ""})
    assert "这个字段是必填项" in response.content.decode() and not FloatingRecord.objects.exists()
    response = client.post(reverse("relations:floating_new"), {
        "member": members.a1.pk, "left_on": "2025-01-01", "destination": "深圳市南山区", "reason": "work", "contact_phone": "13812345678",
        "certificate_number": "LD001",
    })
    record = FloatingRecord.objects.get()
    assert response.url == reverse("relations:floating_detail", args=[record.pk])
    page = client.get(response.url).content.decode()
    assert "138****5678" in page and "13812345678" not in page and "应当转接组织关系" in page
    listing = client.get(reverse("relations:floating_list")).content.decode()
    assert "深圳市南山区" in listing and "应转接组织关系" in listing and "在外流动 <strong>1</strong> 人" in listing
    assert client.get(reverse("relations:floating_list"), {"q": "zs"}).content.decode().count("深圳市南山区") == 1
    assert "深圳市南山区" not in client.get(reverse("relations:floating_list"), {"q": "ww"}).content.decode()
    response = client.post(reverse("relations:floating_edit", args=[record.pk]), {"destination": "广州市", "contact_phone": ""})
    assert response.status_code == 302
    response = client.post(reverse("relations:floating_return", args=[record.pk]), {"returned_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and Member.objects.get(pk=members.a1.pk).state == "normal"


def test_lost_contact_pages(client, tree, people, members):
    client.force_login(people.secretary_a)
    response = client.post(reverse("relations:lost_new"), {"member": members.a1.pk, "last_contact_on": "2025-01-01",
                                                           "opened_on": timezone.localdate().isoformat()})
    case = LostContactCase.objects.get()
    assert response.url == reverse("relations:lost_detail", args=[case.pk])
    page = client.get(response.url).content.decode()
    assert "请先登记寻找情况" in page and "2025-07-01" in page
    response = client.post(reverse("relations:lost_suspend", args=[case.pk]), {"suspend-decided_on": timezone.localdate().isoformat(),
                                                                              "suspend-document": "停〔2026〕1号"})
    assert response.status_code == 422 and "请先登记寻找情况" in response.content.decode()
    response = client.post(reverse("relations:lost_search", args=[case.pk]), {"tried_on": timezone.localdate().isoformat(), "method": "visit",
                                                                             "searcher": "组织委员", "result": "已搬离"})
    assert response.status_code == 302
    response = client.post(reverse("relations:lost_suspend", args=[case.pk]), {"suspend-decided_on": timezone.localdate().isoformat(),
                                                                              "suspend-document": "停〔2026〕1号"})
    assert response.status_code == 302 and Member.objects.get(pk=members.a1.pk).state == "suspended"
    listing = client.get(reverse("relations:lost_list")).content.decode()
    assert "张三" in listing and "已停止党籍" in listing
    client.force_login(people.supervisor)  # reads, cannot act
    page = client.get(reverse("relations:lost_detail", args=[case.pk])).content.decode()
    assert "张三" in page and "登记寻找情况" not in page
    assert client.post(reverse("relations:lost_restore", args=[case.pk]), {"restored_on": "2026-01-01"}).status_code == 403


def test_incoming_form(client, tree, people, members, b_secretary):
    client.force_login(b_secretary)
    response = client.post(reverse("relations:transfer_incoming"), {
        "name": "吴十", "gender": "female", "ethnicity": "01", "birth_date": "1990-03-01", "status": "full", "joined_on": "2015-07-01",
        "full_on": "2016-07-01", "org": tree.b_branch.code, "from_external": "南京市某党支部", "letter_number": "宁〔2026〕8号",
        "issued_on": "2026-01-05", "valid_days": 10, "reason": "residence", "id_number": " 32040219900301058x ",
    })
    assert response.status_code == 302
    t = Transfer.objects.get()
    assert t.kind == "incoming_external" and t.member.name == "吴十"
    assert t.member.id_number_masked.endswith("058X")  # stored trimmed and upper-case
    response = client.post(reverse("relations:transfer_incoming"), {"name": "x", "org": tree.branch_a.code})
    assert "不在您的管理范围内" in response.content.decode()


def test_probation_end_shown_on_the_transfer_pages(client, tree, people, members):
    t = services.issue_transfer(people.secretary_a, members.a2, reason="residence", to_org=tree.b_branch)
    client.force_login(people.secretary_a)
    for url in (reverse("relations:transfer_list"), reverse("relations:transfer_detail", args=[t.pk])):
        assert "预备期至 2027-01-05" in client.get(url).content.decode()
    assert "预备期至 2027年1月5日" in client.get(reverse("relations:transfer_letter", args=[t.pk])).content.decode()


def test_floating_member_takes_part_in_an_organization_on_the_platform(client, tree, people, members):
    client.force_login(people.secretary_a)
    found = client.get(reverse("relations:destinations", args=[tree.branch_a.pk]), {"field": "activity_org", "dq": "tnq"}).content.decode()
    assert 'name="activity_org"' in found or "没有找到" in found
    found = client.get(reverse("relations:destinations", args=[tree.branch_a.pk]), {"field": "activity_org", "dq": "天宁区某"}).content.decode()
    assert f'name="activity_org" value="{tree.b_branch.pk}"' in found
    response = client.post(reverse("relations:floating_new"), {
        "member": members.a1.pk, "left_on": "2025-01-01", "destination": "天宁区", "reason": "work", "activity_org": tree.b_branch.pk,
        "activity_org_name": "某外地支部",
    })
    assert "平台内党组织与平台外名称只填一项" in response.content.decode() and f'value="{tree.b_branch.pk}" checked' in response.content.decode()
    response = client.post(reverse("relations:floating_new"), {
        "member": members.a1.pk, "left_on": "2025-01-01", "destination": "天宁区", "reason": "work", "activity_org": tree.b_branch.pk,
    })
    record = FloatingRecord.objects.get()
    assert record.activity_org_id == tree.b_branch.pk
    assert tree.b_branch.name in client.get(reverse("relations:floating_detail", args=[record.pk])).content.decode()


def test_a_link_from_the_member_page_preselects_the_member(client, tree, people, members):
    client.force_login(people.secretary_a)
    for name in ("relations:transfer_new", "relations:floating_new", "relations:lost_new"):
        html = client.get(reverse(name), {"member": members.a1.pk}).content.decode()
        assert f'name="member" value="{members.a1.pk}" checked' in html, name
        assert 'checked' not in client.get(reverse(name), {"member": members.b1.pk}).content.decode()  # not managed
    # a form sent back with errors keeps the chosen member and destination
    html = client.post(reverse("relations:transfer_new"), {"member": members.a1.pk, "to_org": tree.b_branch.pk, "reason": ""}).content.decode()
    assert f'name="member" value="{members.a1.pk}" checked' in html and f'name="to_org" value="{tree.b_branch.pk}" checked' in html
