"""Member ledgers in Excel: the roster export, the import template, and imports (all or nothing).

Fixture workbooks are made here with openpyxl; nothing binary is committed."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.accounts.services import create_token
from grassroots.core import crypto
from grassroots.core.models import AuditLog
from grassroots.members import exports, imports, ledger, rules, services
from grassroots.members.choices import ImportState
from grassroots.members.models import ImportJob, Member, MemberEvent

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "media"}}}


def make_id(birth, gender="male", seq=1):
    """A valid GB 11643 number for this birth date and gender."""
    digit = (seq * 2 + 1) % 10 if gender == "male" else (seq * 2) % 10
    first17 = f"320412{birth:%Y%m%d}{seq % 100:02d}{digit}"
    return first17 + rules.id_check_char(first17)


HEADERS = [c.header for c in ledger.TEMPLATE_COLUMNS]


def person(n=1, **changes):
    """One row of a ledger as a dict keyed by the template's Chinese headers."""
    gender = changes.get("性别", "男")
    birth = changes.pop("birth", datetime.date(1960 + n % 20, 1 + n % 12, 1 + n % 28))
    row = {
        "序号": n, "姓名": f"导入党员{n}", "性别": gender, "民族": "汉族", "出生日期": birth,
        "公民身份号码": make_id(birth, "female" if gender == "女" else "male", n), "籍贯": "江苏常州", "学历": "大学本科",
        "学位": "学士", "职业": "工人", "工作单位": "常州某厂", "居住社区": "新村", "在职情况": "在职",
        "联系电话": f"138{n:08d}", "入党日期": datetime.date(2005, 7, 1), "转正日期": datetime.date(2006, 7, 1),
        "党员类别": "正式党员", "党籍状态": "正常", "出党方式": None, "出党日期": None, "处理决定文号": None,
        "所在党组织代码": "C0401",
    }
    row.update(changes)
    return row


def workbook_bytes(rows, headers=None, *, title_rows=(), sheet_title="党员信息"):
    headers = headers or list(rows[0]) if rows else (headers or HEADERS)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for title in title_rows:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, user, content, org, name="党员名册.xlsx"):
    client.force_login(user)
    response = client.post(reverse("members:import"), {"org": org.code, "file": SimpleUploadedFile(name, content)})
    return response


def imported(client, user, content, org, name="党员名册.xlsx"):
    """Upload (the task runs inline in tests) and return the finished job."""
    response = upload(client, user, content, org, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("members:import_job", kwargs={"pk": job.pk})
    return job


def errors_of(job):
    return {(e["row"], e["column"]) for e in job.errors}


# ---------------------------------------------------------------------------------------
# Import: good, bad, again
# ---------------------------------------------------------------------------------------


def test_good_file_imports_everything(client, tree, people):
    rows = [person(1), person(2, 性别="女", 所在党组织代码="C0501 新村第一党支部第一党小组"),
            person(3, 党员类别="预备党员", 入党日期=datetime.date(2026, 3, 1), 转正日期=None, 所在党组织代码="C0402")]
    job = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert job.state == ImportState.DONE, job.errors
    assert (job.total_rows, job.processed_rows, job.created_count, job.updated_count, job.percent) == (3, 3, 3, 0, 100)
    m1 = Member.objects.get(name="导入党员1")
    assert m1.org == tree.branch_a and m1.org_path == tree.branch_a.path and m1.initials == "drdy1"
    assert crypto.decrypt(m1.id_number_encrypted) == rows[0]["公民身份号码"]
    assert m1.id_number_hash == crypto.lookup_hash(rows[0]["公民身份号码"]) and m1.id_number_masked.count("*") == 10
    assert m1.phone_masked == "138****0001" and m1.education == "bachelor" and m1.degree == "bachelor" and m1.in_service
    m2, m3 = Member.objects.get(name="导入党员2"), Member.objects.get(name="导入党员3")
    assert m2.gender == "female" and m2.org == tree.group_a
    assert m3.status == "probationary" and m3.full_on is None and m3.org == tree.branch_b
    assert MemberEvent.objects.filter(kind="created").count() == 3
    assert AuditLog.objects.filter(action="create", content_type__model="member", actor=people.dept_a).count() == 3
    file_audit = AuditLog.objects.filter(content_type__model="importjob", action="update").get()
    assert "新增 3 人" in file_audit.note and file_audit.after["state"] == "done"
    # every row's audit shares the job's request id, so the audit log finds the whole import at once
    assert set(AuditLog.objects.filter(content_type__model="member").values_list("request_id", flat=True)) == {f"import-{job.pk}"}
    page = client.get(reverse("members:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "导入完成" in page and "新增 <strong>3</strong>" in page and 'hx-trigger="every 1s"' not in page


def test_mixed_good_and_bad_rows_import_nothing_and_report_every_bad_row(client, tree, people):
    good = person(1)
    rows = [
        good,                                                            # line 2: good
        person(2, 公民身份号码="320412198001010010"),                    # line 3: wrong check digit
        person(3, 性别="未知"),                                           # line 4: not a gender
        person(4, 党员类别="预备党员"),                                   # line 5: probationary with a full date
        person(5, 入党日期=TODAY + datetime.timedelta(days=30), 转正日期=None, 党员类别="预备党员"),  # line 6: future
        person(6, 所在党组织代码="C9999"),                                # line 7: no such organization
        person(7, 所在党组织代码="C0601"),                                # line 8: another district
        person(8, 公民身份号码=good["公民身份号码"], 性别="男", 出生日期=good["出生日期"]),  # line 9: duplicate of line 2
        person(9, 姓名=None),                                             # line 10: no name
        person(10, 民族="火星族"),                                        # line 11: not an ethnicity
        person(11, 入党日期="去年"),                                      # line 12: not a date
        person(12, birth=datetime.date(1990, 5, 5), 入党日期=datetime.date(2007, 7, 1), 转正日期=datetime.date(2008, 7, 1)),  # 13: joined at 17
        person(13, 联系电话="打电话"),                                    # line 14: not a phone
    ]
    job = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert job.state == ImportState.FAILED
    assert not Member.objects.filter(name__startswith="导入党员").exists()
    assert not MemberEvent.objects.exists()
    assert errors_of(job) == {
        (3, "公民身份号码"), (4, "性别"), (5, "转正日期"), (6, "入党日期"), (7, "所在党组织代码"), (8, "所在党组织代码"),
        (9, "公民身份号码"), (10, "姓名"), (11, "民族"), (12, "入党日期"), (13, "入党日期"), (14, "联系电话"),
    }
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.errors}
    assert "校验位" in reasons[(3, "公民身份号码")]
    assert "不是有效的性别" in reasons[(4, "性别")]
    assert reasons[(5, "转正日期")] == "预备党员不应填写转正日期"
    assert "不能晚于今天" in reasons[(6, "入党日期")]
    assert "找不到党组织代码“C9999”" in reasons[(7, "所在党组织代码")]
    assert "不在您的管理范围内" in reasons[(8, "所在党组织代码")]
    assert "与第 2 行的公民身份号码重复" in reasons[(9, "公民身份号码")]
    assert reasons[(10, "姓名")] == "请填写姓名"
    assert "无法识别的日期" in reasons[(12, "入党日期")]
    assert "年满18周岁" in reasons[(13, "入党日期")]
    # the page lists every error with its line, column and reason, and offers them as a workbook
    client.force_login(people.dept_a)
    page = client.get(reverse("members:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "没有导入任何数据" in page and "第 8 行" in page and "不在您的管理范围内" in page
    response = client.get(reverse("members:import_errors", kwargs={"pk": job.pk}))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    listed = [(r[0], r[1]) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(listed) == len(job.errors) and (8, "所在党组织代码") in listed
    assert AuditLog.objects.filter(content_type__model="importjob", note__contains="未导入").exists()


def test_reimport_updates_and_never_duplicates(client, tree, people):
    rows = [person(1, 党员类别="预备党员", 入党日期=datetime.date(2025, 9, 1), 转正日期=None), person(2), person(3)]
    first = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert first.created_count == 3
    again = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert again.state == ImportState.DONE and (again.created_count, again.updated_count) == (0, 0)
    assert imports.summary(again)["unchanged"] == 3
    assert Member.objects.filter(name__startswith="导入党员").count() == 3
    rows[0].update(党员类别="正式党员", 转正日期=datetime.date(2026, 9, 1))
    rows[1].update(工作单位="常州新单位", 联系电话="13900000002", 所在党组织代码="C0402")
    changed = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert (changed.created_count, changed.updated_count) == (0, 2)
    assert Member.objects.filter(name__startswith="导入党员").count() == 3
    m1, m2 = Member.objects.get(name="导入党员1"), Member.objects.get(name="导入党员2")
    assert m1.status == "full" and m1.full_on == datetime.date(2026, 9, 1)
    assert m2.work_unit == "常州新单位" and m2.phone_masked == "139****0002" and m2.org == tree.branch_b
    assert sorted(m1.events.values_list("kind", "before", "after")) == [("created", "", "预备党员，新村第一党支部"), ("status", "预备党员", "正式党员")]
    kinds = set(m2.events.values_list("kind", flat=True))
    assert kinds == {"created", "moved", "updated"}
    assert m2.events.get(kind="updated").after == "工作单位、联系电话"
    assert AuditLog.objects.filter(content_type__model="member", action="update").count() == 2


def test_title_rows_above_the_header(client, tree, people):
    content = workbook_bytes([person(1), person(2, 性别="男女")], title_rows=["新村党委党员花名册", "填报单位：新村党委    2026年11月"])
    job = imported(client, people.dept_a, content, tree.village)
    assert job.state == ImportState.FAILED
    assert errors_of(job) == {(5, "性别")}  # line 3 is the header, so the second member is on line 5
    content = workbook_bytes([person(1), person(2)], title_rows=["新村党委党员花名册", ""])
    job = imported(client, people.dept_a, content, tree.village)
    assert job.state == ImportState.DONE and job.created_count == 2


def test_shuffled_columns_with_aliases_and_names_for_organizations(client, tree, people):
    headers = ["人员类别", "身份证号", "所在支部", "姓名", "入党时间", "转正时间", "民族", "手机号码"]
    rows = [
        {"姓名": "刘一", "身份证号": make_id(datetime.date(1985, 2, 3), "female", 11), "人员类别": "正式",
         "入党时间": "2008.06", "转正时间": "2009.06", "民族": "回", "所在支部": "新村第一党支部", "手机号码": 13800000011},
        {"姓名": "陈二", "身份证号": make_id(datetime.date(1986, 4, 5), "male", 12).lower(), "人员类别": "预备党员",
         "入党时间": "2026年3月1日", "转正时间": None, "民族": "汉族", "所在支部": "二支部", "手机号码": None},
    ]
    job = imported(client, people.dept_a, workbook_bytes(rows, headers), tree.village)
    assert job.state == ImportState.DONE, job.errors
    liu, chen = Member.objects.get(name="刘一"), Member.objects.get(name="陈二")
    # gender and birth date come from the ID number when the file has no such columns
    assert (liu.gender, liu.birth_date, liu.ethnicity, liu.status) == ("female", datetime.date(1985, 2, 3), "03", "full")
    assert (liu.joined_on, liu.full_on, liu.org, liu.phone_masked) == (datetime.date(2008, 6, 1), datetime.date(2009, 6, 1), tree.branch_a, "138****0011")
    assert (chen.gender, chen.org, chen.joined_on) == ("male", tree.branch_b, datetime.date(2026, 3, 1))
    assert chen.id_number_masked.endswith(make_id(datetime.date(1986, 4, 5), "male", 12)[-4:])


def test_organization_name_must_be_unique_in_the_subtree(client, tree, people):
    headers = ["姓名", "公民身份号码", "党员类别", "入党日期", "转正日期", "所在党组织"]
    row = {"姓名": "刘一", "公民身份号码": make_id(datetime.date(1985, 2, 3), "female", 11), "党员类别": "正式党员",
           "入党日期": "2008-06-01", "转正日期": "2009-06-01", "所在党组织": "新村第一党支部第一党小组"}
    ok = imported(client, people.dept_a, workbook_bytes([row], headers), tree.village)
    assert ok.state == ImportState.DONE
    row["所在党组织"] = "天宁区某社区党支部"  # exists, but not in the chosen subtree
    job = imported(client, people.dept_a, workbook_bytes([row], headers), tree.village)
    assert job.errors[0]["reason"] == "在导入范围“中共新村村委员会”内找不到党组织“天宁区某社区党支部”"


DATES = [
    ("2001.07.01", datetime.date(2001, 7, 1)),
    ("2001年7月1日", datetime.date(2001, 7, 1)),
    ("2001/7/1", datetime.date(2001, 7, 1)),
    ("2001-07", datetime.date(2001, 7, 1)),
    ("2001-07-15", datetime.date(2001, 7, 15)),
    ("2001年7月", datetime.date(2001, 7, 1)),
    ("20010701", datetime.date(2001, 7, 1)),
    (20010701, datetime.date(2001, 7, 1)),
    ("2001.7", datetime.date(2001, 7, 1)),
    (2001.07, datetime.date(2001, 7, 1)),
    (2001.1, datetime.date(2001, 10, 1)),  # typed as 2001.10 into a number cell
    (37073, datetime.date(2001, 7, 1)),  # an Excel date number in a cell not formatted as a date
    (datetime.datetime(2001, 7, 1, 0, 0), datetime.date(2001, 7, 1)),
    (datetime.date(2001, 7, 1), datetime.date(2001, 7, 1)),
    ("２００１．０７．０１", datetime.date(2001, 7, 1)),
]


@pytest.mark.parametrize(("cell", "expected"), DATES)
def test_date_formats(cell, expected):
    assert imports.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["2001", 2001, "2001-13-01", "2001.02.30", "去年七月", "07/01/2001", True])
def test_dates_not_understood(cell):
    with pytest.raises(ValueError):
        imports.parse_date(cell)


def test_each_date_format_through_a_real_workbook(client, tree, people):
    """The cells as calamine reads them back from a file: text, numbers and real Excel dates."""
    rows = []
    for n, (cell, _expected) in enumerate(DATES, start=1):
        rows.append(person(n, 入党日期=cell, 转正日期=None, 党员类别="预备党员", birth=datetime.date(1970, 1, 1)))
    job = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert job.state == ImportState.DONE, job.errors
    for n, (_cell, expected) in enumerate(DATES, start=1):
        assert Member.objects.get(name=f"导入党员{n}").joined_on == expected


def test_unknown_columns_are_reported(client, tree, people):
    rows = [{**person(1), "备注": "老党员", "微信号": "wx1"}]
    job = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert job.state == ImportState.DONE and job.unknown_columns == ["备注", "微信号"]
    page = client.get(reverse("members:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "以下列没有识别" in page and "“备注”、“微信号”" in page


def test_wrong_headers(client, tree, people):
    job = imported(client, people.dept_a, workbook_bytes([{"A": 1, "B": 2}]), tree.village)
    assert job.state == ImportState.FAILED and "没有找到表头" in job.errors[0]["reason"] and job.errors[0]["row"] is None
    rows = [{k: v for k, v in person(1).items() if k != "姓名"}]
    job = imported(client, people.dept_a, workbook_bytes(rows), tree.village)
    assert job.state == ImportState.FAILED and job.errors[0]["reason"].startswith("缺少必需的列：姓名")
    assert not Member.objects.exists()


def test_empty_files(client, tree, people):
    response = upload(client, people.dept_a, b"", tree.village)
    assert response.status_code == 200 and "上传的文件是空的" in response.content.decode()
    wb = Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    job = imported(client, people.dept_a, buffer.getvalue(), tree.village)
    assert job.state == ImportState.FAILED and job.errors[0]["reason"] == "文件是空的：没有任何内容"
    job = imported(client, people.dept_a, workbook_bytes([], HEADERS), tree.village)
    assert job.state == ImportState.FAILED and "没有党员数据" in job.errors[0]["reason"]
    assert not ImportJob.objects.filter(state=ImportState.DONE).exists()


def test_files_that_are_not_excel(client, tree, people):
    response = upload(client, people.dept_a, "姓名,公民身份号码\n张三,1".encode(), tree.village, "名册.xlsx")
    assert "文件不是 Excel 表格" in response.content.decode()
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    response = upload(client, people.dept_a, fake.getvalue(), tree.village, "名册.docx")
    assert "不是有效的 Excel 表格" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_id_number_stored_as_a_number_is_refused(client, tree, people):
    job = imported(client, people.dept_a, workbook_bytes([person(1, 公民身份号码=320412198001010011)]), tree.village)
    assert job.state == ImportState.FAILED and "存成了数字" in job.errors[0]["reason"]


def test_organization_outside_the_importers_scope_or_subtree(client, tree, people):
    job = imported(client, people.secretary_a, workbook_bytes([person(1), person(2, 所在党组织代码="C0402")]), tree.branch_a)
    assert job.state == ImportState.FAILED and errors_of(job) == {(3, "所在党组织代码")}
    assert "不在您的管理范围内" in job.errors[0]["reason"]
    # inside the importer's scope but outside the subtree chosen for this upload
    job = imported(client, people.dept_a, workbook_bytes([person(1), person(2, 所在党组织代码="C0402")]), tree.branch_a)
    assert job.errors == [{"row": 3, "column": "所在党组织代码", "reason": "党组织“新村第二党支部”不在所选的导入范围“新村第一党支部”内"}]
    # a subtree the user does not manage cannot be chosen at all
    response = upload(client, people.secretary_a, workbook_bytes([person(1)]), tree.branch_b)
    assert response.status_code == 200 and "不在您的管理范围内" in response.content.decode()
    assert not Member.objects.filter(name__startswith="导入党员").exists()


def test_a_member_registered_outside_the_scope_is_not_changed(client, tree, people):
    existing = services.create_member(people.admin, tree.b_branch, {
        "name": "赵外", "gender": "male", "ethnicity": "01", "birth_date": datetime.date(1981, 2, 2), "status": "full",
        "joined_on": datetime.date(2005, 7, 1), "full_on": datetime.date(2006, 7, 1), "id_number": make_id(datetime.date(1981, 2, 2), "male", 1),
    })
    row = person(1, birth=datetime.date(1981, 2, 2))
    assert row["公民身份号码"] == crypto.decrypt(existing.id_number_encrypted)
    job = imported(client, people.dept_a, workbook_bytes([row]), tree.village)
    assert job.state == ImportState.FAILED and "组织关系转接" in job.errors[0]["reason"]
    existing.refresh_from_db()
    assert existing.org == tree.b_branch and existing.name == "赵外"


def test_the_platforms_own_template_round_trips(client, tree, people):
    client.force_login(people.dept_a)
    response = client.get(reverse("members:import_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = wb[exports.TEMPLATE_SHEET]
    headers = [c.value for c in sheet[1]]
    row = person(1, 所在党组织代码="C0401 新村第一党支部")
    sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    job = imported(client, people.dept_a, buffer.getvalue(), tree.village, "模板.xlsx")
    assert job.state == ImportState.DONE and job.unknown_columns == [], job.errors
    assert Member.objects.get(name="导入党员1").org == tree.branch_a


def test_the_roster_export_reads_back_as_an_import(client, tree, people):
    """An exported roster (masked ID numbers) is understood column by column; only the masked IDs are refused."""
    imported(client, people.dept_a, workbook_bytes([person(1)]), tree.village)
    response = client.get(reverse("members:export"), {"within": tree.village.pk})
    job = imported(client, people.dept_a, b"".join(response.streaming_content), tree.village, "花名册.xlsx")
    assert job.unknown_columns == [] and {e["column"] for e in job.errors} == {"公民身份号码", "联系电话"}


# ---------------------------------------------------------------------------------------
# The bulk path gives what the services give
# ---------------------------------------------------------------------------------------


def _state_of(hashes):
    members = {m.id_number_hash: m for m in Member.objects.filter(id_number_hash__in=hashes)}
    state = {}
    for key, m in members.items():
        record = {f: getattr(m, f) for f in services.RECORD_FIELDS}
        record.update(org=m.org_id, org_path=m.org_path, initials=m.initials, id_masked=m.id_number_masked,
                      id=crypto.decrypt(m.id_number_encrypted), phone=crypto.decrypt(m.phone_encrypted),
                      phone_hash=m.phone_hash, phone_masked=m.phone_masked)
        events = sorted(
            (e.kind, e.before, e.after, e.document, e.happened_on, e.actor_id, "" if e.kind == "created" else e.note)
            for e in m.events.all()
        )
        audits = sorted(
            (a.action, a.actor_id, a.actor_name, a.org_path, a.object_repr, json.dumps(a.before, sort_keys=True),
             json.dumps(a.after, sort_keys=True), a.note)
            for a in AuditLog.objects.for_object(m)
        )
        state[key] = (record, events, audits)
    return state


def test_bulk_apply_matches_services(client, tree, people):
    actor = people.dept_a
    base = {"gender": "male", "ethnicity": "01", "status": "full", "joined_on": datetime.date(2005, 7, 1),
            "full_on": datetime.date(2006, 7, 1), "state": "normal", "work_unit": "旧单位"}
    people_before = {}
    for n, extra in ((1, {"status": "probationary", "full_on": None, "joined_on": datetime.date(2025, 9, 1)}), (2, {}), (3, {}), (4, {})):
        birth = datetime.date(1980, n, n)
        data = {**base, "name": f"导入党员{n}", "birth_date": birth, "id_number": make_id(birth, "male", n), "phone": f"1380000000{n}", **extra}
        people_before[n] = services.create_member(actor, tree.branch_a, data)
    same = {"籍贯": None, "学历": None, "学位": None, "职业": None, "居住社区": None}  # as the members were registered
    rows = [
        person(1, birth=datetime.date(1980, 1, 1), 党员类别="正式党员", 入党日期=datetime.date(2025, 9, 1), 转正日期=datetime.date(2026, 9, 1),
               工作单位="旧单位", 联系电话="13800000001", **same),
        person(2, birth=datetime.date(1980, 2, 2), 党籍状态="已出党", 出党方式="去世", 出党日期=datetime.date(2026, 5, 1), 工作单位="旧单位",
               联系电话="13800000002", **same),
        person(3, birth=datetime.date(1980, 3, 3), 所在党组织代码="C0402", 工作单位="新单位", 联系电话="13900000003", **same),
        person(4, birth=datetime.date(1980, 4, 4), 工作单位="旧单位", 联系电话="13800000004", **same),
        person(5, 所在党组织代码="C0501"),
    ]
    content = workbook_bytes(rows)
    hashes = [crypto.lookup_hash(r["公民身份号码"]) for r in rows]

    # (a) through the services, row by row, with the values the import reads from the file
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():  # rolled back: (b) starts from the same records
        job = ImportJob(org=tree.village, org_path=tree.village.path, original_name="对照.xlsx", created_by=actor)
        ledger_file = imports.LedgerFile(io.BytesIO(content))
        importer = imports.Importer(job, ledger_file.layout)
        checked = importer.check_batch(list(ledger_file.rows()))
        assert not importer.errors and len(checked) == 5
        for row in checked:
            data = {k: v for k, v in row.values.items() if k in services.RECORD_FIELDS or k in ("id_number", "phone")}
            if row.existing is None:
                services.create_member(actor, row.org, {**row.data, **data})
            else:
                services.update_member(actor, row.existing, {**data, "org": row.org}, note=importer.note)
        through_services = _state_of(hashes)
        raise Undo

    # (b) the import's bulk path
    job = imported(client, actor, content, tree.village, "对照.xlsx")
    assert (job.created_count, job.updated_count) == (1, 3)
    through_import = _state_of(hashes)
    assert through_import == through_services
    kinds = {n: sorted(k[0] for k in through_import[h][1]) for n, h in enumerate(hashes, start=1)}
    assert kinds == {1: ["created", "status"], 2: ["created", "state"], 3: ["created", "moved", "updated"], 4: ["created"], 5: ["created"]}


def test_progress_uses_no_side_connection_inside_an_outer_transaction(tree, people):
    """A second connection could not see (nor wait on) rows of an enclosing transaction, e.g. a test's."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer: progress moves only outside the apply transaction")
    job = ImportJob.objects.create(org=tree.village, org_path=tree.village.path, original_name="x.xlsx", created_by=people.dept_a)
    progress = imports.Progress(job)
    assert progress.side is None  # inside the test's transaction the row is not visible to another connection
    progress.close()


@pytest.mark.django_db(transaction=True)
def test_progress_side_connection(tree, people):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.db.utils import load_backend

    job = ImportJob.objects.create(org=tree.village, org_path=tree.village.path, original_name="x.xlsx", created_by=people.dept_a)
    progress = imports.Progress(job)
    assert progress.side is not None
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).exists()
        Member.objects.create(name="锁", gender="male", birth_date=datetime.date(1980, 1, 1), status="full",
                              joined_on=datetime.date(2005, 1, 1), org=tree.branch_a, org_path=tree.branch_a.path)
        progress.set(7)
        reader = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper(dict(connection.settings_dict), alias="reader")
        with reader.cursor() as cursor:
            cursor.execute("SELECT processed_rows FROM members_importjob WHERE id = %s", [job.pk])
            assert cursor.fetchone()[0] == 7
        reader.close()
    progress.close()


# ---------------------------------------------------------------------------------------
# Jobs: progress page, scope
# ---------------------------------------------------------------------------------------


def test_a_running_job_polls_its_progress(client, tree, people):
    job = ImportJob.objects.create(org=tree.branch_a, org_path=tree.branch_a.path, original_name="x.xlsx",
                                   created_by=people.secretary_a, state=ImportState.CHECKING, total_rows=200, processed_rows=50)
    client.force_login(people.secretary_a)
    page = client.get(reverse("members:import_job", kwargs={"pk": job.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in page and '<progress' in page and 'value="25"' in page and "第 50 / 200 行" in page
    fragment = client.get(reverse("members:import_progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true").content.decode()
    assert 'value="25"' in fragment and "<html" not in fragment
    assert "<script>" not in page  # the CSP allows no inline scripts


def test_jobs_are_visible_only_inside_the_scope(client, tree, people):
    job = imported(client, people.secretary_a, workbook_bytes([person(1)]), tree.branch_a)
    for user, status in ((people.secretary_b, 404), (people.dept_a, 200), (people.secretary_a, 200), (people.member_a, 404)):
        client.force_login(user)
        for name in ("members:import_job", "members:import_progress", "members:import_errors"):
            assert client.get(reverse(name, kwargs={"pk": job.pk})).status_code == status, (user, name)
    client.force_login(people.secretary_b)
    listing = client.get(reverse("members:import")).content.decode()
    assert "党员名册.xlsx" not in listing
    client.force_login(people.member_a)
    assert client.post(reverse("members:import"), {}).status_code == 403


# ---------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------


def _rich_members(tree, people):
    made = []
    for n, (org, name) in enumerate(((tree.branch_a, "孙甲"), (tree.group_a, "周乙"), (tree.branch_b, "吴丙"), (tree.b_branch, "郑丁")), start=1):
        birth = datetime.date(1980, n, n)
        made.append(services.create_member(people.admin, org, {
            "name": name, "gender": "male", "ethnicity": "01", "birth_date": birth, "id_number": make_id(birth, "male", n),
            "phone": f"1381234567{n}", "status": "full", "joined_on": datetime.date(2005, 7, 1), "full_on": datetime.date(2006, 7, 1),
            "education": "bachelor", "work_unit": "常州某单位",
        }))
    return made


def _roster(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return content, rows[1], rows[2:]


def test_export_has_the_roster_columns_and_masked_values_only(client, tree, people):
    made = _rich_members(tree, people)
    client.force_login(people.city_dept)
    content, headers, rows = _roster(client.get(reverse("members:export"), {"within": tree.village.pk}))
    assert list(headers[:19]) == ["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "籍贯", "学历", "学位", "职业", "工作单位",
                                  "居住社区", "在职情况", "联系电话", "入党日期", "转正日期", "党员类别", "所在党支部", "党籍状态"]
    by_name = {r[1]: dict(zip(headers, r, strict=True)) for r in rows}
    assert set(by_name) == {"孙甲", "周乙", "吴丙"}
    sun = by_name["孙甲"]
    assert sun["公民身份号码"] == made[0].id_number_masked and "*" in sun["公民身份号码"]
    assert sun["联系电话"] == "138****5671" and sun["性别"] == "男" and sun["学历"] == "大学本科" and sun["党员类别"] == "正式党员"
    assert sun["所在党支部"] == "新村第一党支部" and sun["所在党组织代码"] == "C0401" and sun["入党日期"].date() == datetime.date(2005, 7, 1)
    assert [by_name[n]["出生日期"].date() for n in ("孙甲", "周乙", "吴丙")] == [datetime.date(1980, n, n) for n in (1, 2, 3)]
    # no full ID number or phone anywhere in the file, compressed or not
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        text = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    for m in made:
        assert crypto.decrypt(m.id_number_encrypted) not in text and crypto.decrypt(m.phone_encrypted) not in text
    entry = AuditLog.objects.get(action="export")
    assert entry.actor == people.city_dept and entry.org_path == tree.village.path
    assert "3 人" in entry.note and "新村党委" in entry.note and "脱敏" in entry.note
    # searching by a full ID number: neither the file nor the audit note repeats it in full
    full = crypto.decrypt(made[0].id_number_encrypted)
    content, _h, rows = _roster(client.get(reverse("members:export"), {"q": full}))
    assert [r[1] for r in rows] == ["孙甲"]
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert full not in "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    note = AuditLog.objects.filter(action="export").first().note
    assert full not in note and made[0].id_number_masked in note


def test_export_honours_filters_and_scope(client, tree, people):
    _rich_members(tree, people)
    client.force_login(people.secretary_a)
    _c, _h, rows = _roster(client.get(reverse("members:export")))
    assert {r[1] for r in rows} == {"孙甲", "周乙"}
    client.force_login(people.dept_a)
    _c, _h, rows = _roster(client.get(reverse("members:export"), {"within": tree.branch_b.pk}))
    assert {r[1] for r in rows} == {"吴丙"}
    assert client.get(reverse("members:export"), {"within": tree.b_branch.pk}).status_code == 404
    services.update_member(people.dept_a, Member.objects.get(name="周乙"), {"status": "probationary", "full_on": None,
                                                                           "joined_on": datetime.date(2026, 1, 1)})
    _c, _h, rows = _roster(client.get(reverse("members:export"), {"status": "probationary"}))
    assert [r[1] for r in rows] == ["周乙"]
    assert "党员类别：预备党员" in AuditLog.objects.filter(action="export").first().note
    client.force_login(people.admin)  # the whole tree
    _c, _h, rows = _roster(client.get(reverse("members:export")))
    assert {r[1] for r in rows} == {"孙甲", "周乙", "吴丙", "郑丁"}
    client.force_login(people.nobody)
    assert client.get(reverse("members:export")).status_code == 403
    assert AuditLog.objects.filter(action="export").count() == 4


def test_a_large_roster_is_written_by_the_worker_with_progress(client, tree, people, settings):
    """Above GRASSROOTS_ROSTER_DIRECT_ROWS the export becomes a job (the tests' task backend runs it at once);
    the page shows its state, only its owner downloads it, and the export is audited once."""
    from grassroots.members.models import ExportJob

    _rich_members(tree, people)
    settings.GRASSROOTS_ROSTER_DIRECT_ROWS = 2
    client.force_login(people.dept_a)
    response = client.get(reverse("members:export"), {"within": tree.village.pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:export_job", args=[job.pk])
    assert job.state == "done" and job.total_rows == job.written_rows == 3 and job.created_by == people.dept_a
    page = client.get(response.url).content.decode()
    assert "已完成" in page and reverse("members:export_download", args=[job.pk]) in page and "hx-trigger" not in page
    _c, _h, rows = _roster(client.get(reverse("members:export_download", args=[job.pk])))
    assert {r[1] for r in rows} == {"孙甲", "周乙", "吴丙"}
    assert AuditLog.objects.filter(action="export", note__contains="3 人").count() == 1
    client.force_login(people.city_dept)  # someone else's export: not found, even for a wider scope
    assert client.get(reverse("members:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("members:export_download", args=[job.pk])).status_code == 404


def test_a_running_export_polls_and_a_failed_one_says_so(client, tree, people):
    from grassroots.members.models import ExportJob

    job = ExportJob.objects.create(created_by=people.dept_a, org_path=tree.district_a.path, total_rows=10000, written_rows=5000,
                                   state="running")
    client.force_login(people.dept_a)
    fragment = client.get(reverse("members:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="50"' in fragment and "5000 / 10000" in fragment
    assert client.get(reverse("members:export_download", args=[job.pk])).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(state="failed", error="磁盘已满")
    assert "导出失败：磁盘已满" in client.get(reverse("members:export_job", args=[job.pk])).content.decode()


def test_api_answers_202_with_the_job_for_a_large_roster(api, tree, people, settings):
    _rich_members(tree, people)
    settings.GRASSROOTS_ROSTER_DIRECT_ROWS = 2
    api.as_user(people.dept_a)
    response = api.get("/members/export", within=tree.village.pk)
    assert response.status_code == 202
    job = response.json()
    assert job["state"] == "done" and job["total_rows"] == 3 and job["download_url"]
    assert api.get(f"/members/exports/{job['id']}").json()["percent"] == 100
    assert api.get(job["download_url"].removeprefix("/api/v1")).status_code == 200
    api.as_user(people.city_dept)
    assert api.get(f"/members/exports/{job['id']}").status_code == 404


# ---------------------------------------------------------------------------------------
# Template
# ---------------------------------------------------------------------------------------


def test_template_has_drop_downs_text_columns_and_a_guide(client, tree, people):
    client.force_login(people.secretary_a)
    response = client.get(reverse("members:import_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [exports.TEMPLATE_SHEET, exports.LISTS_SHEET, exports.GUIDE_SHEET]
    sheet, lists = wb[exports.TEMPLATE_SHEET], wb[exports.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    headers = [c.value for c in sheet[1]]
    assert headers == HEADERS and "所在党组织代码" in headers
    letter = {h: sheet.cell(row=1, column=i).column_letter for i, h in enumerate(headers, start=1)}
    validated = {}
    for dv in sheet.data_validations.dataValidation:
        assert dv.type == "list"
        for ref in str(dv.sqref).split():
            validated[ref.split(":")[0].rstrip("0123456789")] = dv.formula1
    for header in ("性别", "民族", "学历", "学位", "职业", "在职情况", "党员类别", "党籍状态", "出党方式", "所在党组织代码"):
        assert letter[header] in validated, header
    list_values = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()}
    assert list_values["性别"] == ["男", "女"] and len(list_values["民族"]) == 58 and "汉族" in list_values["民族"]
    assert list_values["所在党组织代码"] == ["C0401 新村第一党支部", "C0501 新村第一党支部第一党小组"]  # only what she manages
    assert sheet.column_dimensions[letter["公民身份号码"]].number_format == "@"
    assert sheet.column_dimensions[letter["联系电话"]].number_format == "@"
    guide = "\n".join(str(c.value) for row in wb[exports.GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "一行也不导入" in guide and "身份证号" in guide
    client.force_login(people.supervisor)
    assert client.get(reverse("members:import_template")).status_code == 403


# ---------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------


def test_api_upload_progress_and_scope(client, tree, people):
    _token, raw = create_token(people.secretary_a, "导入")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/api/v1/members/imports", {"org_id": tree.branch_a.pk, "file": SimpleUploadedFile("a.xlsx", workbook_bytes([person(1)]))}, **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "done" and body["created_count"] == 1 and body["percent"] == 100 and body["errors"] == []
    detail = client.get(f"/api/v1/members/imports/{body['id']}", **auth).json()
    assert detail["id"] == body["id"] and detail["state_label"] == "已完成"
    assert client.get("/api/v1/members/imports", **auth).json()["count"] == 1
    bad = client.post("/api/v1/members/imports", {"org_id": tree.branch_a.pk, "file": SimpleUploadedFile("b.xlsx", workbook_bytes([person(2, 性别="x")]))}, **auth).json()
    assert bad["state"] == "failed" and bad["errors"] == [{"row": 2, "column": "性别", "reason": "“x”不是有效的性别，可填：男、女"}]
    response = client.post("/api/v1/members/imports", {"org_id": tree.branch_b.pk, "file": SimpleUploadedFile("c.xlsx", workbook_bytes([person(3)]))}, **auth)
    assert response.status_code == 422 and "不在您的管理范围内" in response.json()["detail"]
    response = client.post("/api/v1/members/imports", {"org_id": tree.branch_a.pk, "file": SimpleUploadedFile("d.txt", b"hello")}, **auth)
    assert response.status_code == 422 and "文件不是 Excel 表格" in response.json()["errors"]["file"][0]
    _token, other = create_token(people.secretary_b, "B")
    assert client.get(f"/api/v1/members/imports/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    response = client.get("/api/v1/members/export", {"within": tree.branch_a.pk}, **auth)
    _c, _h, rows = _roster(response)
    assert [r[1] for r in rows] == ["导入党员1"]
    assert client.get("/api/v1/members/export", {"within": tree.branch_b.pk}, **auth).status_code == 404
    response = client.get("/api/v1/members/import-template", **auth)
    assert response.status_code == 200 and load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames[0] == "党员信息"


def test_an_import_is_counted_in_the_kept_summary_figures(client, tree, people):
    """Imports write in bulk (no model signals): they mark the kept figures themselves (grassroots/orgs/summaries.py)."""
    from grassroots.members import stats

    before = stats.subtree_counts(tree.city.path)["total"]  # kept for the city now
    job = imported(client, people.dept_a, workbook_bytes([person(1), person(2)]), tree.village)
    assert job.state == ImportState.DONE, job.errors
    assert stats.subtree_counts(tree.city.path)["total"] == before + 2
    assert stats.subtree_counts(tree.district_a.path)["total"] == stats.subtree_counts(tree.town.path)["total"]
