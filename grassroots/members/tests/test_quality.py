"""The data-quality audit (组织关系梳理排查): every problem kind found exactly where it is, roll-up per child
in a fixed number of queries, scoped worklists, masked exports with an audit row, the API."""

import datetime
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.conftest import make_member, make_org, make_user
from grassroots.core import crypto
from grassroots.core.models import AuditLog
from grassroots.members import quality, rules
from grassroots.members.choices import Gender, State, Status
from grassroots.members.models import Member
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db

_seq = itertools.count(101)


def id_number(birth, gender, region="320412"):
    """A valid GB 11643 number for this birth date and gender, different on every call."""
    n = next(_seq) % 500
    first17 = f"{region}{birth:%Y%m%d}{n * 2 + (1 if gender == Gender.MALE else 0):03d}"
    return first17 + rules.id_check_char(first17)


def personal(number="", phone=""):
    return {
        "id_number_encrypted": crypto.encrypt(number), "id_number_hash": crypto.lookup_hash(number),
        "id_number_masked": crypto.mask_id_number(number), "phone_encrypted": crypto.encrypt(phone),
        "phone_hash": crypto.lookup_hash(phone), "phone_masked": crypto.mask_phone(phone),
    }


def complete(org, name=None, **fields):
    """A member whose record passes every check, with `fields` changed."""
    gender = fields.get("gender", Gender.MALE)
    birth = fields.get("birth_date", datetime.date(1980, 3, 4))
    data = {
        "gender": gender, "birth_date": birth, "native_place": "江苏武进", "education": "bachelor", "degree": "bachelor",
        "occupation": "worker", "work_unit": "常州某公司", "residence": "某社区", "status": Status.FULL,
        "joined_on": datetime.date(2005, 7, 1), "full_on": datetime.date(2006, 7, 1),
        **personal(id_number(birth, gender), "13912345678"),
    }
    data.update(fields)
    return make_member(org, name, **data)


def today():
    return timezone.localdate()


def _missing_id(org):
    return complete(org, **personal("", "13912345678"))


def _masked_empty(org):
    m = complete(org)
    Member.objects.filter(pk=m.pk).update(id_number_masked="")
    return m


def _masked_short(org):
    return complete(org, **{**personal("320412800304123", "13912345678")})  # an old 15-digit number


def _gender_digit(org):
    number = id_number(datetime.date(1980, 3, 4), Gender.FEMALE)  # even 17th digit
    return complete(org, gender=Gender.MALE, **personal(number, "13912345678"))


def _missing_phone(org):
    number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
    return complete(org, **personal(number, ""))


def _overdue(org):
    return complete(org, status=Status.PROBATIONARY, full_on=None, joined_on=rules.add_years(today(), -2) - datetime.timedelta(days=1))


def _dissolved(org):
    dead = make_org(_admin(), org, "已撤销的党小组", f"X{next(_seq)}", kind="group")
    org_services.dissolve_organization(_admin(), dead, today(), "合并")
    return complete(dead)


def _admin():
    from grassroots.accounts.models import User

    return User.objects.get(username="root")


# (case, kind, make the broken record in `org`); every case's record has exactly that one problem.
CASES = [
    ("no ID number", "missing_id_number", _missing_id),
    ("masked form missing", "invalid_id_number", _masked_empty),
    ("15-digit number", "invalid_id_number", _masked_short),
    ("gender digit of a woman for a man", "invalid_id_number", _gender_digit),
    ("no phone", "missing_phone", _missing_phone),
    ("no education", "missing_education", lambda org: complete(org, education="", degree="")),
    ("no occupation", "missing_occupation", lambda org: complete(org, occupation="")),
    ("no native place", "missing_native_place", lambda org: complete(org, native_place="")),
    ("full member without date", "full_without_date", lambda org: complete(org, full_on=None)),
    ("probationary with date", "probationary_with_date",
     lambda org: complete(org, status=Status.PROBATIONARY, joined_on=datetime.date(2025, 9, 1), full_on=datetime.date(2026, 9, 1))),
    ("probationary for 2 years and a day", "probation_overdue", _overdue),
    ("joined the day before the 18th birthday", "joined_under_age",
     lambda org: complete(org, birth_date=datetime.date(2000, 5, 2), joined_on=datetime.date(2018, 5, 1), full_on=datetime.date(2019, 5, 1))),
    ("born 29 February, joined 28 February at 17", "joined_under_age",
     lambda org: complete(org, birth_date=datetime.date(2000, 2, 29), joined_on=datetime.date(2018, 2, 28), full_on=datetime.date(2019, 2, 28))),
    ("organization dissolved", "org_dissolved", _dissolved),
]


@pytest.mark.parametrize("case, kind, make", CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_found_exactly_where_it_is(tree, people, case, kind, make):
    for org in (tree.branch_a, tree.group_a, tree.branch_b, tree.b_branch):
        complete(org)
    broken = make(tree.branch_b)
    left = make(tree.branch_a)  # the same problem on someone who left the register does not count
    Member.objects.filter(pk=left.pk).update(state=State.LEFT, left_reason="deceased", left_on=datetime.date(2026, 1, 1))

    city = quality.report(tree.city)
    informational = ("total", "with_problems", "no_orglife")  # nobody here has attended a meeting yet
    assert {k: v for k, v in city.totals.items() if v and k not in informational} == {kind: 1}
    assert city.totals["with_problems"] == 1

    village = quality.report(tree.village)
    by_child = {c.pk: c.counts[kind] for c in village.children}
    assert by_child == {tree.branch_a.pk: 0, tree.branch_b.pk: 1}
    assert [m.pk for m in quality.worklist(tree.village, quality.get_problem(kind))] == [broken.pk]
    assert not quality.worklist(tree.branch_a, quality.get_problem(kind)).exists()
    assert quality.describe(quality.get_problem(kind), Member.objects.select_related("org").get(pk=broken.pk))


BOUNDARY_CLEAN = [
    ("joined on the 18th birthday", lambda org: complete(org, birth_date=datetime.date(2000, 5, 2), joined_on=datetime.date(2018, 5, 2), full_on=datetime.date(2019, 5, 2))),
    ("born 29 February, joined 1 March at 18", lambda org: complete(org, birth_date=datetime.date(2000, 2, 29), joined_on=datetime.date(2018, 3, 1), full_on=datetime.date(2019, 3, 1))),
    ("probationary for exactly 2 years", lambda org: complete(org, status=Status.PROBATIONARY, full_on=None, joined_on=rules.add_years(today(), -2))),
    ("a woman with an even gender digit", lambda org: complete(org, gender=Gender.FEMALE)),
    ("ID number with check character X", lambda org: complete(org, **personal("11010119900307803X", "13912345678"),
                                                                birth_date=datetime.date(1990, 3, 7), joined_on=datetime.date(2015, 7, 1),
                                                                full_on=datetime.date(2016, 7, 1))),
]


@pytest.mark.parametrize("case, make", BOUNDARY_CLEAN, ids=[c[0] for c in BOUNDARY_CLEAN])
def test_records_on_the_boundary_are_clean(tree, case, make):
    make(tree.branch_a)
    assert quality.report(tree.city).totals["with_problems"] == 0


def test_duplicate_id_numbers_across_the_tree(tree):
    number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
    a = complete(tree.branch_a, "钱一", **personal(number, "13900000001"))
    other = complete(tree.b_branch, "钱一", **personal(number, "13900000002"))
    gone = complete(tree.branch_b, **personal(id_number(datetime.date(1980, 3, 4), Gender.MALE), "13900000003"))
    twin_of_gone = complete(tree.branch_b, **personal(crypto.decrypt(gone.id_number_encrypted), "13900000004"))
    Member.objects.filter(pk=gone.pk).update(state=State.LEFT, left_reason="deceased", left_on=datetime.date(2026, 1, 1))
    complete(tree.branch_b)
    problem = quality.get_problem("duplicate_id_number")
    # The city and a district list the duplicated numbers first; a village probes the index per member: same answer.
    assert quality.report(tree.city).totals["duplicate_id_number"] == 2
    assert quality.report(tree.district_a).totals["duplicate_id_number"] == 1
    assert quality.report(tree.district_b).totals["duplicate_id_number"] == 1
    village = quality.report(tree.village)
    assert {c.pk: c.counts["duplicate_id_number"] for c in village.children} == {tree.branch_a.pk: 1, tree.branch_b.pk: 0}
    assert [m.pk for m in quality.worklist(tree.village, problem)] == [a.pk]
    assert [m.pk for m in quality.worklist(tree.district_b, problem)] == [other.pk]
    assert twin_of_gone.pk not in {m.pk for m in quality.worklist(tree.city, problem)}
    # The worklist names the other record when the viewer may see it, and only counts it otherwise.
    assert quality.duplicates_of([a], [tree.city.path]) == {a.pk: ([("钱一", "天宁区某社区党支部")], 0)}
    assert quality.duplicates_of([a], [tree.district_a.path]) == {a.pk: ([], 1)}


def test_duplicate_worklist_names_the_other_record_in_scope(client, tree, people):
    number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
    complete(tree.branch_a, "钱一", **personal(number, "13900000001"))
    complete(tree.branch_b, "钱一", **personal(number, "13900000002"))
    complete(tree.b_branch, "钱一", **personal(number, "13900000003"))
    client.force_login(people.dept_a)
    html = client.get(f"/members/quality/{tree.village.pk}/duplicate_id_number/").content.decode()
    assert "同号：钱一（新村第二党支部），另有管理范围外 1 条" in html and "天宁区某社区党支部" not in html


def test_no_organizational_life_counts_members_without_attendance_apart_from_the_total(tree, members):
    from grassroots.orglife.tests.factories import at, held

    before = quality.report(tree.branch_a)
    assert dict((p.key, n) for p, n in before.rows())["no_orglife"] == 2  # 张三 and 李四 (in group A)
    with_problems = before.totals["with_problems"]
    held(tree.branch_a, "theme_day", at(2026, 3, 1), state="confirmed", present=[members.a1], absent=[members.a2])
    held(tree.branch_a, "theme_day", at(2026, 4, 1), state="planned", present=[members.a2])  # planned: not held
    after = quality.report(tree.branch_a)
    assert dict((p.key, n) for p, n in after.rows())["no_orglife"] == 1
    assert after.totals["with_problems"] == with_problems  # not part of "members with problems"
    assert quality.get_problem("no_orglife") is not None


def test_roll_up_per_child_in_a_fixed_number_of_queries(tree, people):
    for _ in range(3):
        complete(tree.branch_a, education="")
    complete(tree.group_a, native_place="")
    complete(tree.village, occupation="")  # attached to the village committee itself
    complete(tree.b_branch, native_place="")

    def counted(org):
        with CaptureQueriesContext(connection) as ctx:
            report = quality.report(org)
        return report, len(ctx.captured_queries)

    village, queries = counted(tree.village)
    assert queries == 5  # the children, the branch-structure kinds' three, and one grouped count
    assert village.direct["missing_occupation"] == 1 and village.direct["total"] == 1
    rows = {c.pk: (c.counts["total"], c.counts["with_problems"], c.counts["missing_education"], c.counts["missing_native_place"])
            for c in village.children}
    assert rows == {tree.branch_a.pk: (4, 4, 3, 1), tree.branch_b.pk: (0, 0, 0, 0)}
    assert village.totals["with_problems"] == 5

    city, _ = counted(tree.city)  # the first reader counts the townships and keeps the figures (orgs/summaries.py)
    assert {c.pk: c.counts["with_problems"] for c in city.children} == {tree.district_a.pk: 5, tree.district_b.pk: 1}
    again, queries = counted(tree.city)
    assert queries == 2  # the kept figures (the city's own members among them) and its children
    assert {c.pk: c.counts for c in again.children} == {c.pk: c.counts for c in city.children}
    assert again.totals == city.totals

    for i in range(10):
        branch = make_org(people.admin, tree.village, f"新村增设第{i}党支部", f"G9{i:03d}")
        complete(branch, phone_encrypted="", phone_hash="", phone_masked="")
    village, queries = counted(tree.village)
    assert queries == 5 and len(village.children) == 12 and village.totals["missing_phone"] == 10


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_use_a_fixed_number_of_queries(client, tree, people):
    client.force_login(people.city_dept)
    complete(tree.branch_a, education="")
    number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
    complete(tree.branch_a, **personal(number, "13900000001"))
    complete(tree.b_branch, **personal(number, "13900000002"))
    urls = [f"/members/quality/{tree.village.pk}/", f"/members/quality/{tree.village.pk}/missing_education/",
            f"/members/quality/{tree.city.pk}/duplicate_id_number/", "/members/quality/"]
    few = [_page_queries(client, url) for url in urls]
    for i in range(12):
        branch = make_org(people.admin, tree.village, f"新村增设第{i}党支部", f"G8{i:03d}")
        complete(branch, education="")
        number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
        complete(branch, **personal(number, "13900000001"))
        complete(tree.b_branch, **personal(number, "13900000002"))
    many = [_page_queries(client, url) for url in urls]
    assert few == many


def test_report_page_drills_down_and_links_to_worklists(client, tree, people):
    broken = complete(tree.branch_a, education="")
    client.force_login(people.dept_a)
    html = client.get("/members/quality/").content.decode()  # the current scope: 武进区委
    assert "中共常州市武进区委员会" in html and f'href="/members/quality/{tree.town.pk}/"' in html
    html = client.get(f"/members/quality/{tree.village.pk}/").content.decode()
    assert f'href="/members/quality/{tree.branch_a.pk}/missing_education/"' in html
    assert f'href="/members/quality/{tree.branch_a.pk}/no_orglife/"' in html
    html = client.get(f"/members/quality/{tree.branch_a.pk}/missing_education/").content.decode()
    assert broken.name in html and f'href="/members/{broken.pk}/edit/"' in html
    assert broken.id_number_masked in html and crypto.decrypt(broken.id_number_encrypted) not in html


def test_worklist_is_scoped(client, tree, people):
    mine = complete(tree.branch_a, education="")
    theirs = complete(tree.branch_b, "隔壁支部党员", education="")
    client.force_login(people.secretary_a)
    assert client.get(f"/members/quality/{tree.branch_b.pk}/missing_education/").status_code == 404
    assert client.get(f"/members/quality/{tree.branch_b.pk}/").status_code == 404
    assert client.get(f"/members/quality/{tree.village.pk}/").status_code == 404  # above the secretary's branch
    assert client.get(f"/members/quality/{tree.branch_a.pk}/no_such_kind/").status_code == 404
    assert client.get(f"/members/quality/{tree.branch_b.pk}/no_orglife/").status_code == 404
    assert client.post(f"/members/quality/{tree.branch_a.pk}/").status_code == 405
    html = client.get(f"/members/quality/{tree.branch_a.pk}/missing_education/").content.decode()
    assert mine.name in html and theirs.name not in html
    html = client.get("/members/quality/").content.decode()
    assert "新村第二党支部" not in html

    # A supervisor reads the worklist but gets no edit links; a plain member sees nothing.
    client.force_login(people.supervisor)
    html = client.get(f"/members/quality/{tree.branch_a.pk}/missing_education/").content.decode()
    assert mine.name in html and "/edit/" not in html
    client.force_login(people.member_a)
    assert client.get("/members/quality/").status_code == 403
    assert client.get(f"/members/quality/{tree.branch_a.pk}/").status_code == 404
    client.force_login(people.nobody)
    assert client.get("/members/quality/").status_code == 403


def _sheet(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_exports_are_masked_and_audited(client, tree, people):
    number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
    member = complete(tree.branch_a, "孙七", education="", **personal(number, "13812345678"))
    complete(tree.branch_b, native_place="")
    client.force_login(people.dept_a)

    rows = _sheet(client.get(f"/members/quality/{tree.village.pk}/?format=xlsx"))
    assert rows[0][:4] == ["党组织", "状态", "党员数", "有问题的党员"] and rows[0][-1] == "尚无参加组织生活的记录"
    assert rows[1][:4] == ["中共新村村委员会（合计）", None, 2, 2]
    assert [r[0] for r in rows[2:]] == ["新村第一党支部", "新村第二党支部"]
    assert rows[1][-1] == 2  # neither member has attended a recorded meeting

    rows = _sheet(client.get(f"/members/quality/{tree.village.pk}/missing_education/?format=xlsx"))
    assert rows[0][:5] == ["姓名", "性别", "出生日期", "公民身份号码", "联系电话"]
    assert len(rows) == 2 and rows[1][0] == "孙七"
    text = repr(rows)
    assert member.id_number_masked in text and "138****5678" in text
    assert number not in text and "13812345678" not in text

    exports = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).order_by("id")
    assert [(e.object_id, e.org_path, e.actor_id) for e in exports] == [(str(tree.village.pk), tree.village.path, people.dept_a.pk)] * 2
    assert "缺学历" not in exports[0].note and "未填写学历" in exports[1].note

    client.force_login(people.secretary_b)
    assert client.get(f"/members/quality/{tree.branch_a.pk}/missing_education/?format=xlsx").status_code == 404
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count() == 2


def test_api_is_scoped_and_masked(client, tree, people):
    number = id_number(datetime.date(1980, 3, 4), Gender.MALE)
    member = complete(tree.branch_a, "孙七", education="", **personal(number, "13812345678"))
    complete(tree.branch_b, "隔壁支部党员", education="")
    client.force_login(people.secretary_a)

    body = client.get("/api/v1/members/quality").json()  # the first reading role: 一支部
    assert body["org_id"] == tree.branch_a.pk and body["total"] == 1 and body["with_problems"] == 1
    problems = {p["key"]: p for p in body["problems"]}
    assert problems["missing_education"]["count"] == 1
    assert problems["no_orglife"]["computed"] is True and problems["no_orglife"]["count"] == 1
    assert [c["org_id"] for c in body["children"]] == [tree.group_a.pk]

    assert client.get(f"/api/v1/members/quality?org_id={tree.branch_b.pk}").status_code == 404
    assert client.get(f"/api/v1/members/quality/{tree.branch_b.pk}/worklist?kind=missing_education").status_code == 404
    assert client.get(f"/api/v1/members/quality/{tree.branch_b.pk}/worklist").status_code == 404
    response = client.get(f"/api/v1/members/quality/{tree.branch_a.pk}/worklist")
    assert response.status_code == 422 and "kind" in response.json()["errors"]

    body = client.get(f"/api/v1/members/quality/{tree.branch_a.pk}/worklist?kind=missing_education").json()
    assert body["count"] == 1 and body["kind_label"] == "未填写学历"
    item = body["items"][0]
    assert item["id"] == member.pk and item["edit_url"] == f"/members/{member.pk}/edit/"
    assert item["id_number_masked"] == member.id_number_masked and item["phone_masked"] == "138****5678"
    assert number not in response.content.decode() and "13812345678" not in str(body)

    client.force_login(people.dept_a)
    body = client.get(f"/api/v1/members/quality?org_id={tree.village.pk}").json()
    assert {c["org_id"]: c["counts"]["missing_education"] for c in body["children"]} == {tree.branch_a.pk: 1, tree.branch_b.pk: 1}

    client.force_login(make_user("only_member", "member", tree.branch_a))
    assert client.get("/api/v1/members/quality").status_code == 403


@pytest.mark.parametrize(
    "full, probationary, titles, kind",
    [
        (6, 0, [], None),
        (7, 0, [], "branch_without_committee"),  # 支部工作条例 art. 8: 7 or more full members need a committee
        (6, 3, [], None),  # probationary members do not count
        (7, 0, ["secretary", "organization", "propaganda"], None),
        (6, 0, ["secretary", "deputy_secretary"], None),
        (6, 0, ["secretary", "organization"], "committee_not_needed"),
    ],
)
def test_branch_structure_kinds(tree, people, full, probationary, titles, kind):
    """Members of the branch (and of its groups) are listed under the branch's structural gap, apart from the total."""
    from grassroots.orgs.services import appoint_post

    in_branch = [complete(tree.branch_b) for _ in range(full - 1)] + [complete(tree.group_b)]
    for _ in range(probationary):
        complete(tree.branch_b, status=Status.PROBATIONARY, joined_on=datetime.date(2026, 3, 1), full_on=None)
    for title, holder in zip(titles, in_branch, strict=False):
        appoint_post(people.admin, tree.branch_b, title=title, holder=holder, started_on=datetime.date(2024, 1, 1))
    complete(tree.branch_a)
    village = quality.report(tree.village)
    counts = {key: village.totals[key] for key in ("branch_without_committee", "committee_not_needed")}
    expected = {k: (full + probationary if k == kind else 0) for k in counts}
    assert counts == expected
    assert village.totals["with_problems"] == 0  # not part of "members with problems"
    if kind:
        problem = quality.get_problem(kind)
        listed = list(quality.worklist(tree.village, problem))
        assert {m.org_id for m in listed} == {tree.branch_b.pk, tree.group_b.pk} and len(listed) == full + probationary
        assert quality.describe(problem, listed[0]).startswith(listed[0].org.name)
        assert {c.pk: c.counts[kind] for c in village.children} == {tree.branch_a.pk: 0, tree.branch_b.pk: full + probationary}
