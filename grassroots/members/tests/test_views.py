import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from grassroots.conftest import login, make_member
from grassroots.core.models import AuditLog
from grassroots.members import services
from grassroots.members.models import CorrectionRequest, Member, MemberEvent
from grassroots.members.rules import id_check_char
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db


def id_number(birth, seq=1, male=True, region="320412"):
    """A valid GB 11643 number for a birth date and gender."""
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{(1 if male else 2) + 2 * (seq % 4)}"
    return first17 + id_check_char(first17)


def record(**changes):
    """Form data for a valid new member record."""
    base = {
        "name": "陈小明", "gender": "male", "ethnicity": "01", "birth_date": "1990-03-07",
        "id_number": id_number(datetime.date(1990, 3, 7)), "phone": "13912345678", "native_place": "江苏常州",
        "education": "bachelor", "degree": "bachelor", "occupation": "worker", "work_unit": "常州某厂", "residence": "新村",
        "in_service": "True", "org": "C0401", "status": "full", "joined_on": "2012-07-01", "full_on": "2013-07-01",
        "state": "normal", "left_reason": "", "left_on": "", "left_document": "",
    }
    base.update(changes)
    return base


_valid = id_number(datetime.date(1990, 3, 7))
BAD_CHECK_DIGIT = _valid[:-1] + ("1" if _valid[-1] != "1" else "2")


@pytest.fixture
def registry(tree, people, members):
    """Members with ID numbers and phones, created through the service (encrypted, hashed, masked)."""
    r = SimpleNamespace(**vars(members))
    r.chen_id = id_number(datetime.date(1990, 3, 7))
    r.chen = services.create_member(
        people.secretary_a, tree.branch_a,
        {"name": "陈小明", "gender": "male", "ethnicity": "01", "birth_date": datetime.date(1990, 3, 7), "id_number": r.chen_id,
         "phone": "13912345678", "education": "bachelor", "degree": "bachelor", "occupation": "worker", "in_service": True,
         "status": "full", "joined_on": datetime.date(2012, 7, 1), "full_on": datetime.date(2013, 7, 1), "state": "normal"},
    )
    r.liu_id = id_number(datetime.date(1975, 11, 20), seq=7, male=False)
    r.liu = services.create_member(
        people.secretary_b, tree.branch_b,
        {"name": "刘芳", "gender": "female", "ethnicity": "01", "birth_date": datetime.date(1975, 11, 20), "id_number": r.liu_id,
         "phone": "13700001111", "status": "full", "joined_on": datetime.date(2000, 7, 1), "full_on": datetime.date(2001, 7, 1),
         "state": "normal", "education": "college", "occupation": "farmer"},
    )
    return r


def names(response):
    return [m.name for m in response.context["page"]]


# --- list and search -----------------------------------------------------------------------------


def test_list_requires_login(client, tree):
    response = client.get(reverse("members:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_is_scoped_to_the_current_scope(client, registry, people, tree):
    login(client, people.secretary_a)
    response = client.get(reverse("members:list"))
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(["张三", "李四", "陈小明"])
    html = response.content.decode()
    assert "王五" not in html and "刘芳" not in html
    assert response.context["query"] == f"within={tree.branch_a.pk}"
    login(client, people.dept_a)
    assert sorted(names(client.get(reverse("members:list")))) == sorted(["张三", "李四", "王五", "陈小明", "刘芳"])


def test_system_admin_sees_every_member(client, registry, people):
    login(client, people.admin)
    assert len(names(client.get(reverse("members:list"), {"state": "all"}))) == 6


def test_columns_show_labels_and_masked_values(client, registry, people):
    login(client, people.secretary_a)
    html = client.get(reverse("members:list"), {"q": "陈小明"}).content.decode()
    for text in ("陈小明", "男", "汉族", "1990-03-07", "正式党员", "一支部", "2012-07-01", "3204**********", "139****5678", "正常"):
        assert text in html, text
    assert registry.chen_id not in html and "13912345678" not in html


@pytest.mark.parametrize(
    "q, expected",
    [
        ("zs", ["张三"]),  # pinyin initials, prefix
        ("ZS", ["张三"]),
        ("cx", ["陈小明"]),
        ("小明", ["陈小明"]),  # part of the name
        ("李", ["李四"]),
        ("13912345678", ["陈小明"]),  # full phone
        ("1391234567", []),  # not a full phone
    ],
)
def test_search(client, registry, people, q, expected):
    login(client, people.dept_a)
    assert names(client.get(reverse("members:list"), {"q": q})) == expected


def test_search_by_full_id_number(client, registry, people):
    login(client, people.dept_a)
    response = client.get(reverse("members:list"), {"q": registry.liu_id.lower()})
    assert names(response) == ["刘芳"] and "按公民身份号码查找" in response.content.decode()
    response = client.get(reverse("members:list"), {"q": registry.liu_id[:10]})
    assert names(response) == [] and "请输入完整的号码" in response.content.decode()
    login(client, people.secretary_a)  # the number of a member outside the scope finds nothing
    assert names(client.get(reverse("members:list"), {"q": registry.liu_id})) == []


def test_live_search_answers_with_the_results_fragment(client, registry, people):
    login(client, people.dept_a)
    response = client.get(reverse("members:list"), {"q": "zs"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "张三" in html and "<html" not in html and "陈小明" not in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "probationary"}, ["李四"]),
        ({"gender": "female"}, ["张三", "刘芳"]),
        ({"ethnicity": "03"}, ["王五"]),
        ({"ethnicity": "minority"}, ["王五"]),
        ({"age": "0"}, ["李四"]),  # under 35
        ({"age": "2"}, ["张三", "王五", "刘芳"]),  # 46-55: born 1980 and 1975
        ({"education": "college"}, ["刘芳"]),
        ({"occupation": "worker"}, ["陈小明"]),
        ({"joined_from": "2010-01-01", "joined_to": "2020-12-31"}, ["陈小明"]),
        ({"joined_from": "2026-01-01"}, ["李四"]),
    ],
)
def test_filters(client, registry, people, params, expected):
    login(client, people.dept_a)
    assert sorted(names(client.get(reverse("members:list"), {**params, "sort": "name"}))) == sorted(expected)


def test_membership_state_default_and_all(client, registry, people):
    services.update_member(
        people.secretary_b, registry.liu,
        {"state": "left", "left_reason": "deceased", "left_on": datetime.date(2025, 3, 1)},
    )
    login(client, people.dept_a)
    assert "刘芳" not in names(client.get(reverse("members:list")))
    assert "刘芳" in names(client.get(reverse("members:list"), {"state": "all"}))
    assert names(client.get(reverse("members:list"), {"state": "left"})) == ["刘芳"]
    # A full ID number finds the member whatever their state.
    assert names(client.get(reverse("members:list"), {"q": registry.liu_id})) == ["刘芳"]


def test_subtree_filter_and_scope(client, registry, people, tree):
    login(client, people.dept_a)
    assert sorted(names(client.get(reverse("members:list"), {"within": tree.branch_b.pk}))) == ["刘芳", "王五"]
    assert client.get(reverse("members:list"), {"within": tree.b_branch.pk}).status_code == 404
    login(client, people.secretary_a)
    assert client.get(reverse("members:list"), {"within": tree.branch_b.pk}).status_code == 404


def test_sort(client, registry, people):
    login(client, people.dept_a)
    assert names(client.get(reverse("members:list"), {"sort": "joined_on"})) == ["刘芳", "张三", "王五", "陈小明", "李四"]
    assert names(client.get(reverse("members:list"), {"sort": "-birth_date"}))[0] == "李四"
    assert names(client.get(reverse("members:list"), {"sort": "name"})) == ["陈小明", "刘芳", "李四", "王五", "张三"]


def test_filter_form_keeps_its_values_and_reports_bad_ones(client, registry, people, tree):
    login(client, people.dept_a)
    response = client.get(reverse("members:list"), {"q": "zs", "status": "full", "joined_from": "2001-13-01", "sort": "joined_on"})
    html = response.content.decode()
    assert 'value="zs"' in html and '<option value="full" selected>' in html and '<option value="joined_on" selected>' in html
    assert "此条件未生效" in html and names(response) == ["张三"]
    query = response.context["query"]
    assert "q=zs" in query and "status=full" in query and f"within={tree.district_a.pk}" in query


def test_pagination_keeps_filters(client, tree, people, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_member(tree.branch_a, f"分页{i}")
    login(client, people.secretary_a)
    response = client.get(reverse("members:list"), {"q": "分页", "page": 2})
    assert names(response) == ["分页2", "分页3"]
    assert f"?q=%E5%88%86%E9%A1%B5&amp;within={tree.branch_a.pk}&page=3" in response.content.decode()


def test_new_member_button_only_for_managers(client, registry, people, tree):
    login(client, people.secretary_a)
    html = client.get(reverse("members:list")).content.decode()
    assert f"{reverse('members:create')}?org={tree.branch_a.pk}" in html
    login(client, people.supervisor)
    html = client.get(reverse("members:list")).content.decode()
    assert "新增党员" not in html and "张三" in html


def test_export_button_follows_the_export_url(client, registry, people):
    login(client, people.secretary_a)
    response = client.get(reverse("members:list"), {"status": "full"})
    try:
        export = reverse("members:export")
    except NoReverseMatch:
        assert "导出 Excel" not in response.content.decode()
    else:
        assert f'href="{export}?{response.context["query"]}"'.replace("&", "&amp;") in response.content.decode()


def test_member_role_goes_to_own_page(client, registry, people):
    login(client, people.member_a)
    response = client.get(reverse("members:list"))
    assert response.status_code == 302 and response["Location"] == reverse("members:me")
    login(client, people.nobody)
    assert client.get(reverse("members:list")).status_code == 403


def test_list_query_count_does_not_grow(client, tree, people, members):
    login(client, people.dept_a)

    def run():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("members:list"), {"sort": "joined_on"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small = run()
    for i in range(15):
        make_member(tree.group_b if i % 2 else tree.branch_a, f"增员{i}")
    assert run() == small


# --- record page, reveal -------------------------------------------------------------------------


def test_detail_shows_the_record_in_chinese(client, registry, people, tree):
    org_services.appoint_post(people.secretary_a, tree.branch_a, title="secretary", holder=registry.chen, started_on=datetime.date(2024, 1, 1))
    login(client, people.secretary_a)
    response = client.get(reverse("members:detail", args=[registry.chen.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("公民身份号码", "3204**********", "139****5678", "大学本科", "学士", "工人", "在职", "正式党员", "2013-07-01",
                 "新村第一党支部", "党内职务", "书记", "建立档案", "变更历史", "查看完整"):
        assert text in html, text
    assert registry.chen_id not in html and "13912345678" not in html


def test_detail_for_supervisor_has_no_reveal_and_no_history(client, registry, people):
    login(client, people.supervisor)
    html = client.get(reverse("members:detail", args=[registry.chen.pk])).content.decode()
    assert "3204**********" in html and "查看完整" not in html and "变更历史" not in html and "编辑" not in html


def test_sibling_branches_cannot_see_each_other(client, registry, people):
    login(client, people.secretary_b)
    for name in ("members:detail", "members:edit"):
        assert client.get(reverse(name, args=[registry.chen.pk])).status_code == 404
    assert client.post(reverse("members:reveal", args=[registry.chen.pk, "id_number"])).status_code == 404
    assert not AuditLog.objects.filter(action="reveal").exists()


def test_reveal_swaps_the_value_in_and_writes_one_audit_row(client, registry, people):
    login(client, people.secretary_a)
    url = reverse("members:reveal", args=[registry.chen.pk, "id_number"])
    assert client.get(url).status_code == 405
    assert not AuditLog.objects.filter(action="reveal").exists()
    response = client.post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and registry.chen_id in html and "<html" not in html
    entry = AuditLog.objects.get(action="reveal")
    assert entry.actor == people.secretary_a and entry.object_id == str(registry.chen.pk) and "公民身份号码" in entry.note
    # Without htmx the record page comes back with the value shown.
    response = client.post(reverse("members:reveal", args=[registry.chen.pk, "phone"]))
    assert "13912345678" in response.content.decode() and "陈小明" in response.content.decode()
    assert AuditLog.objects.filter(action="reveal").count() == 2
    assert client.post(reverse("members:reveal", args=[registry.chen.pk, "name"])).status_code == 404


@pytest.mark.parametrize("who, status", [("supervisor", 403), ("member_a", 403), ("secretary_b", 404), ("nobody", 404)])
def test_reveal_is_refused(client, registry, people, who, status):
    member = registry.a1  # 张三, member_a's own record
    services.update_member(people.secretary_a, member, {"id_number": id_number(datetime.date(1980, 1, 1), male=False)})
    login(client, getattr(people, who))
    assert client.post(reverse("members:reveal", args=[member.pk, "id_number"])).status_code == status
    assert not AuditLog.objects.filter(action="reveal").exists()


# --- create and edit -----------------------------------------------------------------------------


def test_create_through_the_form(client, tree, people):
    login(client, people.secretary_a)
    response = client.get(reverse("members:create"), {"org": tree.group_a.pk})
    assert response.status_code == 200 and response.context["form"]["org"].value() == "C0501"
    response = client.post(reverse("members:create"), record(org="C0501"))
    member = Member.objects.get(name="陈小明")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.org == tree.group_a and member.id_number_masked.startswith("3204**********") and member.phone_masked == "139****5678"
    assert member.initials == "cxm" and member.events.get().kind == "created"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"id_number": BAD_CHECK_DIGIT}, "id_number", "校验位不正确"),
        ({"birth_date": "1991-03-07"}, "id_number", "出生日期"),
        ({"gender": "female"}, "id_number", "性别"),
        ({"joined_on": "2007-07-01", "full_on": "2008-07-01"}, "joined_on", "年满18周岁"),
        ({"full_on": "2013-01-01"}, "full_on", "满1年"),
        ({"status": "probationary"}, "full_on", "预备党员不应填写转正日期"),
        ({"full_on": ""}, "full_on", "正式党员请填写转正日期"),
        ({"joined_on": "2099-01-01", "full_on": ""}, "joined_on", "不能晚于今天"),
        ({"state": "left"}, "left_reason", "出党方式"),
        ({"birth_date": "1990-02-30"}, "birth_date", "有效的日期"),
        ({"id_number": "3204121990030701"}, "id_number", "18位"),
        ({"name": ""}, "name", "必填"),
        ({"org": "C0402"}, "org", "不在您的管理范围内"),
        ({"ethnicity": "99"}, "ethnicity", "有效的选项"),
    ],
)
def test_bad_input_gets_chinese_field_errors_and_saves_nothing(client, tree, people, changes, field, message):
    login(client, people.secretary_a)
    members, audits = Member.objects.count(), AuditLog.objects.count()
    response = client.post(reverse("members:create"), record(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field]), errors
    assert Member.objects.count() == members and AuditLog.objects.count() == audits
    assert not MemberEvent.objects.exists()


def test_create_needs_a_managing_role(client, tree, people):
    login(client, people.supervisor)
    assert client.get(reverse("members:create")).status_code == 403
    assert client.post(reverse("members:create"), record()).status_code == 403
    login(client, people.secretary_b)
    assert client.get(reverse("members:create"), {"org": tree.b_branch.pk}).status_code == 404
    assert not Member.objects.exists()


def _edit_data(client, member):
    form = client.get(reverse("members:edit", args=[member.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_edit_keeps_personal_data_when_left_empty(client, registry, people):
    login(client, people.secretary_a)
    response = client.get(reverse("members:edit", args=[registry.chen.pk]))
    html = response.content.decode()
    assert "留空表示不修改" in html and registry.chen_id not in html and "13912345678" not in html
    data = _edit_data(client, registry.chen)
    assert not data.get("id_number") and not data.get("phone")
    data["residence"] = "湖塘新村 3 幢"
    assert client.post(reverse("members:edit", args=[registry.chen.pk]), data).status_code == 302
    chen = Member.objects.get(pk=registry.chen.pk)
    assert chen.residence == "湖塘新村 3 幢" and services.reveal(people.secretary_a, chen, "id_number") == registry.chen_id
    assert chen.phone_masked == "139****5678"
    data["phone"] = "13800002222"
    client.post(reverse("members:edit", args=[registry.chen.pk]), data)
    assert Member.objects.get(pk=registry.chen.pk).phone_masked == "138****2222"


def test_state_change_through_the_edit_form_is_an_event(client, registry, people):
    login(client, people.secretary_a)
    data = _edit_data(client, registry.chen)
    data.update(state="left", left_reason="removed", left_on="2026-01-10", left_document="")
    response = client.post(reverse("members:edit", args=[registry.chen.pk]), data)
    assert response.status_code == 200 and "请填写处理决定的文号" in response.content.decode()
    assert Member.objects.get(pk=registry.chen.pk).state == "normal"
    data["left_document"] = "新委〔2026〕1号"
    assert client.post(reverse("members:edit", args=[registry.chen.pk]), data).status_code == 302
    event = MemberEvent.objects.get(member=registry.chen, kind="state")
    assert event.after == "已出党（除名）" and event.document == "新委〔2026〕1号"


def test_edit_needs_a_managing_role(client, registry, people):
    login(client, people.supervisor)
    assert client.get(reverse("members:edit", args=[registry.chen.pk])).status_code == 403
    assert client.post(reverse("members:edit", args=[registry.chen.pk]), record(name="改名")).status_code == 403
    assert Member.objects.get(pk=registry.chen.pk).name == "陈小明"


# --- a member's own page and correction requests -------------------------------------------------


def test_own_page_shows_masked_record_branch_and_events(client, registry, people, tree):
    services.update_member(people.secretary_a, registry.a1, {"id_number": id_number(datetime.date(1980, 1, 1), male=False), "phone": "13600003333"})
    org_services.appoint_post(people.secretary_a, tree.branch_a, title="secretary", holder=registry.chen, started_on=datetime.date(2024, 1, 1))
    login(client, people.member_a)
    html = client.get(reverse("members:me")).content.decode()
    assert "张三" in html and "新村第一党支部" in html and "陈小明" in html  # the branch and its secretary
    assert "3204**********" in html and "136****3333" in html and "查看完整" not in html
    assert "13600003333" not in html and "修改信息" in html  # the event of the change above
    login(client, people.secretary_a)
    assert "还没有关联党员档案" in client.get(reverse("members:me")).content.decode()


def test_correction_request_flow(client, registry, people):
    login(client, people.member_a)
    response = client.post(reverse("members:me"), {"field": "education", "requested_value": "大学本科", "reason": "已取得本科学历"})
    assert response.status_code == 302
    req = CorrectionRequest.objects.get()
    assert req.state == "pending" and req.requested_value == "大学本科" and req.current_value == ""
    assert AuditLog.objects.filter(action="create", object_id=str(req.pk), content_type__model="correctionrequest").count() == 1
    # The sibling branch's secretary neither sees nor decides it.
    login(client, people.secretary_b)
    assert "张三" not in client.get(reverse("members:corrections")).content.decode()
    assert client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "1"}).status_code == 404
    # A supervisor reads the branch but decides nothing.
    login(client, people.supervisor)
    assert client.get(reverse("members:corrections")).status_code == 403
    assert client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "1"}).status_code == 403
    # The branch secretary approves: the record changes with the note, the request records the decision.
    login(client, people.secretary_a)
    html = client.get(reverse("members:corrections")).content.decode()
    assert "张三" in html and "大学本科" in html and "审核" in html
    response = client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "1", "note": "核对无误"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == "approved" and req.decided_by == people.secretary_a and req.decision_note == "核对无误"
    member = Member.objects.get(pk=registry.a1.pk)
    assert member.education == "bachelor"
    assert member.events.get(kind="updated").note == services.CORRECTION_NOTE
    assert AuditLog.objects.filter(action="update", object_id=str(member.pk), note=services.CORRECTION_NOTE).count() == 1
    assert AuditLog.objects.filter(action="update", object_id=str(req.pk), content_type__model="correctionrequest").count() == 1
    # Decided once only.
    response = client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "0", "note": "再次"})
    assert CorrectionRequest.objects.get(pk=req.pk).state == "approved"
    # The member sees the outcome.
    login(client, people.member_a)
    html = client.get(reverse("members:me")).content.decode()
    assert "已同意" in html and "核对无误" in html and "大学本科" in html


def test_rejection_needs_a_note_and_changes_nothing(client, registry, people):
    req = services.request_correction(people.member_a, registry.a1, "birth_date", "1981-02-03", "记错了")
    login(client, people.secretary_a)
    response = client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "0", "note": ""})
    assert response.status_code == 200 and "驳回时请写明理由" in response.content.decode()
    assert CorrectionRequest.objects.get(pk=req.pk).state == "pending"
    client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "0", "note": "与户籍不符"})
    assert CorrectionRequest.objects.get(pk=req.pk).state == "rejected"
    assert Member.objects.get(pk=registry.a1.pk).birth_date == datetime.date(1980, 1, 1)


def test_approval_that_breaks_a_rule_is_refused(client, registry, people):
    services.update_member(people.secretary_a, registry.a1, {"id_number": id_number(datetime.date(1980, 1, 1), male=False)})
    req = services.request_correction(people.member_a, registry.a1, "birth_date", "1981-02-03", "")
    login(client, people.secretary_a)
    response = client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "1"})
    assert response.status_code == 200 and "不一致" in response.content.decode()
    assert CorrectionRequest.objects.get(pk=req.pk).state == "pending"
    assert Member.objects.get(pk=registry.a1.pk).birth_date == datetime.date(1980, 1, 1)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"field": "", "requested_value": "x"}, "field", "必填"),
        ({"field": "status", "requested_value": "正式党员"}, "field", "有效的选项"),
        ({"field": "education", "requested_value": "博士后"}, "requested_value", "不是有效的学历"),
        ({"field": "birth_date", "requested_value": "1980-13-01"}, "requested_value", "有效的日期"),
        ({"field": "gender", "requested_value": "女"}, "requested_value", "与当前内容相同"),
        ({"field": "id_number", "requested_value": "123"}, "requested_value", "18位"),
    ],
)
def test_bad_correction_requests(client, registry, people, data, field, message):
    login(client, people.member_a)
    response = client.post(reverse("members:me"), {"reason": "", **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert not CorrectionRequest.objects.exists()


def test_requested_id_number_is_stored_encrypted_and_shown_masked(client, registry, people):
    new_id = id_number(datetime.date(1980, 1, 1), seq=3, male=False)
    login(client, people.member_a)
    client.post(reverse("members:me"), {"field": "id_number", "requested_value": new_id, "reason": "换证"})
    req = CorrectionRequest.objects.get()
    assert new_id not in req.requested_value and req.requested_value.startswith(services.ENCRYPTED_PREFIX)
    assert new_id not in client.get(reverse("members:me")).content.decode()
    login(client, people.secretary_a)
    html = client.get(reverse("members:corrections")).content.decode()
    assert new_id not in html and new_id[:4] + "**********" + new_id[-4:] in html
    client.post(reverse("members:correction_decide", args=[req.pk]), {"approve": "1"})
    member = Member.objects.get(pk=registry.a1.pk)
    assert services.reveal(people.secretary_a, member, "id_number") == new_id
    assert all(new_id not in str(e.before) + str(e.after) for e in AuditLog.objects.all())


def test_new_birth_date_must_agree_with_the_stored_id_number(client, registry, people):
    """The ID number is not in the edit form; a changed birth date or gender is still checked against it."""
    login(client, people.secretary_a)
    data = _edit_data(client, registry.chen)
    data["birth_date"] = "1990-03-08"
    response = client.post(reverse("members:edit", args=[registry.chen.pk]), data)
    assert response.status_code == 200
    assert "与填写的出生日期不一致" in response.context["form"].errors["id_number"][0]
    data.update(birth_date="1990-03-07", gender="female")
    assert "性别不一致" in client.post(reverse("members:edit", args=[registry.chen.pk]), data).context["form"].errors["id_number"][0]
    assert Member.objects.get(pk=registry.chen.pk).birth_date == datetime.date(1990, 3, 7)


def test_member_page_links_to_the_lifecycle_work(client, tree, people, members):
    client.force_login(people.secretary_a)
    page = client.get(reverse("members:detail", args=[members.a1.pk])).content.decode()
    for url in (reverse("talks:member_talks", args=[members.a1.pk]), reverse("talks:talk_new", args=[members.a1.pk]),
                reverse("dues:declare", args=[members.a1.pk]), reverse("points:member", args=[members.a1.pk]),
                f"{reverse('relations:transfer_new')}?member={members.a1.pk}", f"{reverse('relations:floating_new')}?member={members.a1.pk}"):
        assert url in page
    client.force_login(people.supervisor)  # reads, changes nothing
    page = client.get(reverse("members:detail", args=[members.a1.pk])).content.decode()
    assert reverse("talks:member_talks", args=[members.a1.pk]) in page and reverse("talks:talk_new", args=[members.a1.pk]) not in page
    client.force_login(people.member_a)  # their own record: no staff links
    page = client.get(reverse("members:detail", args=[members.a1.pk])).content.decode()
    assert "相关业务" not in page
