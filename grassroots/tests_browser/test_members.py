"""The member registry as people use it: pinyin search, the Excel roster, importing a ledger, revealing an
ID number (and finding it in the audit log), and a member's own correction request approved by the branch."""

import datetime
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from grassroots.members import services
from grassroots.members.models import CorrectionRequest, Member
from grassroots.members.rules import id_check_char

from .pages import follow, log_in, menu_link

FULL_ID = "11010119900307803X"
MASKED_ID = "1101**********803X"


def add_member_with_id(site):
    """王建国 of branch A, with an ID number, registered the way the application does it."""
    data = {
        "name": "王建国", "gender": "male", "ethnicity": "01", "birth_date": datetime.date(1990, 3, 7),
        "status": "full", "joined_on": datetime.date(2010, 7, 1), "full_on": datetime.date(2011, 7, 1),
        "state": "normal", "in_service": True, "id_number": FULL_ID,
    }
    return services.create_member(site.people.dept_a, site.tree.branch_a, data)


def search(page, text):
    """Type into the live search box and wait for htmx to swap the results in."""
    box = page.get_by_role("searchbox", name="查找党员")
    with page.expect_response(lambda r: "/members/?" in r.url and "q=" in r.url and r.status == 200):
        box.fill(text)
    return page.locator("#member-results")


def ledger_file(rows):
    """An .xlsx ledger with the usual headers and these rows (lists of cell values)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "民族", "出生日期", "公民身份号码", "入党日期", "转正日期", "党员类别", "所在党组织代码"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def valid_id(first17):
    return first17 + id_check_char(first17)


@pytest.mark.browser
def test_search_by_pinyin_initials(site, page, screenshot):
    log_in(page, site.people.dept_a.username)
    menu_link(page, "党员名册")
    expect(page).to_have_url(f"{site.url}/members/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("党员名册")
    results = search(page, "zs")
    expect(results.locator(".results-head p")).to_have_text("共 1 名党员（按拼音首字母查找）")
    rows = results.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td[data-label=姓名]")).to_have_text("张三")
    expect(rows.first.locator("td[data-label=所在党组织]")).to_have_text("一支部")
    expect(page).to_have_url(re.compile(r"/members/\?.*q=zs"))  # the search is kept in the address
    screenshot(page, "desktop-members-list")
    rows.first.get_by_role("link", name="张三").click()
    expect(page).to_have_url(f"{site.url}/members/{site.members.a1.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("张三")
    assert page.errors == []


@pytest.mark.browser
def test_export_filtered_list_masks_id_numbers(site, page):
    member = add_member_with_id(site)
    log_in(page, site.people.dept_a.username)
    menu_link(page, "党员名册")
    results = search(page, "wjg")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.locator("td[data-label=公民身份号码]")).to_have_text(MASKED_ID)
    with page.expect_download() as info:
        results.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert re.fullmatch(r"党员花名册-\d{8}\.xlsx", download.suggested_filename), download.suggested_filename
    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "党员花名册" in str(rows[0][0])
    header = rows[1]
    assert header[:9] == ["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "籍贯", "学历", "学位"], header
    data = [r for r in rows[2:] if any(v not in (None, "") for v in r)]
    assert len(data) == 1, data  # only the member the list was filtered to
    record = dict(zip(header, data[0], strict=False))
    assert record["姓名"] == member.name
    assert record["性别"] == "男"
    assert record["公民身份号码"] == MASKED_ID
    assert FULL_ID not in repr(rows)
    assert page.errors == []


@pytest.mark.browser
def test_import_refuses_a_bad_row_then_imports_a_good_file(site, page, screenshot):
    good_id = valid_id("32041219850101123")
    wrong = "0" if id_check_char("32041219860202123") != "0" else "1"
    bad_id = "32041219860202123" + wrong
    good = ["陈国强", "男", "汉族", "1985-01-01", good_id, "2008-07-01", "2009-07-01", "正式党员", "C0401"]
    bad = ["刘红梅", "女", "汉族", "1986-02-02", bad_id, "2009-07-01", "2010-07-01", "正式党员", "C0401"]
    before = Member.objects.count()

    log_in(page, site.people.dept_a.username)
    menu_link(page, "党员导入")
    expect(page.get_by_role("heading", level=1)).to_have_text("导入党员信息")
    # The target organization: found by name with the picker, chosen with 选择.
    page.get_by_label("按名称或拼音首字母查找组织代码").fill("新村第一")
    result = page.locator("#org-picker-results li", has=page.get_by_role("link", name="新村第一党支部", exact=True))
    result.get_by_role("button", name="选择").click()
    expect(page.get_by_label("导入范围（党组织代码）")).to_have_value("C0401")
    page.get_by_label("党员信息文件（.xlsx 或 .xls）").set_input_files(
        {"name": "一支部党员.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": ledger_file([good, bad])}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入：一支部党员.xlsx")
    status = page.locator("#import-status")
    expect(status.get_by_role("alert")).to_contain_text("没有导入任何数据")
    errors = status.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td[data-label=行号]")).to_have_text("第 3 行")
    expect(errors.first.locator("td[data-label=列]")).to_have_text("公民身份号码")
    expect(errors.first.locator("td[data-label=错误原因]")).to_contain_text("校验位不正确")
    screenshot(page, "desktop-import-errors")
    assert Member.objects.count() == before  # not even the good row
    assert not Member.objects.filter(name="陈国强").exists()

    follow(page, page.get_by_role("link", name="再导入一个文件"))
    page.get_by_label("导入范围（党组织代码）").fill("C0401")
    page.get_by_label("党员信息文件（.xlsx 或 .xls）").set_input_files(
        {"name": "一支部党员-改.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": ledger_file([good])}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上传并检查").click()
    status = page.locator("#import-status")
    expect(status.locator("progress")).to_have_attribute("value", "100")
    expect(status.locator(".msg.success")).to_contain_text("新增 1 人")
    expect(status.get_by_role("heading", level=2)).to_have_text("已完成")
    screenshot(page, "desktop-import-done")
    assert Member.objects.count() == before + 1
    imported = Member.objects.get(name="陈国强")
    assert imported.org_id == site.tree.branch_a.pk and imported.id_number_masked == good_id[:4] + "*" * 10 + good_id[-4:]

    menu_link(page, "党员名册")
    results = search(page, "陈国强")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.locator("td[data-label=姓名]")).to_have_text("陈国强")
    assert page.errors == []


@pytest.mark.browser
def test_reveal_id_number_is_audited(site, page, screenshot):
    member = add_member_with_id(site)
    log_in(page, site.people.dept_a.username)
    page.goto(f"/members/{member.pk}/")
    value = page.locator("#id_number-value")
    expect(value.locator("code")).to_have_text(MASKED_ID)
    with page.expect_response(lambda r: r.url.endswith(f"/members/{member.pk}/reveal/id_number/") and r.status == 200):
        value.get_by_role("button", name="查看完整").click()
    expect(value.locator("code")).to_have_text(FULL_ID)
    expect(value).to_contain_text("本次查看已记入审计日志")
    expect(page).to_have_url(f"{site.url}/members/{member.pk}/")  # revealed in place, not a new page
    screenshot(page, "desktop-member-revealed")

    menu_link(page, "审计日志")
    row = page.locator("table.history tbody tr", has_text="查看敏感信息").first
    expect(row.locator("td[data-label=操作]")).to_contain_text("查看完整公民身份号码")
    expect(row.locator("td[data-label=操作人]")).to_contain_text(site.people.dept_a.username)
    expect(row.locator("td[data-label=对象]")).to_contain_text("王建国")
    expect(page.locator("table.history")).not_to_contain_text(FULL_ID)
    screenshot(page, "desktop-audit-reveal")
    assert page.errors == []


@pytest.mark.browser
def test_member_requests_correction_and_secretary_approves(site, new_page, screenshot):
    me = site.members.a1
    own_id = valid_id("32041219800101002")  # 张三: female, born 1980-01-01
    services.update_member(site.people.dept_a, me, {"id_number": own_id})
    phone = new_page("phone")
    log_in(phone, site.people.member_a.username)
    menu_link(phone, "我的党员信息", device="phone")
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的党员信息")
    record = phone.locator("section.card", has=phone.get_by_role("heading", name=re.compile("^张三")))
    expect(record.locator("dt:text-is('公民身份号码') + dd")).to_have_text(own_id[:4] + "*" * 10 + own_id[-4:])
    expect(phone.locator("body")).not_to_contain_text(own_id)
    expect(record.locator("dt:text-is('居住社区') + dd")).to_have_text("—")
    phone.get_by_label("要更正的信息").select_option(label="居住社区")
    phone.get_by_label("应更正为").fill("新村花园 3 幢")
    phone.get_by_label("理由").fill("已搬家")
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_role("status")).to_have_text("更正申请已提交，请等待党支部审核")
    mine = phone.locator("section.card", has=phone.get_by_role("heading", name="我的更正申请")).locator("tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.first.locator("td[data-label=应更正为]")).to_have_text("新村花园 3 幢")
    expect(mine.first.locator("td[data-label=状态]")).to_have_text("待审核")
    screenshot(phone, "phone-member-me")

    desk = new_page("desktop")
    log_in(desk, site.people.secretary_a.username)
    menu_link(desk, "信息更正申请")
    row = desk.locator("tbody tr", has_text="张三")
    expect(row).to_have_count(1)
    expect(row.locator("td[data-label=要更正的信息]")).to_have_text("居住社区")
    follow(desk, row.get_by_role("link", name="审核"))
    expect(desk.get_by_role("heading", level=1)).to_have_text("审核更正申请：张三")
    desk.get_by_label("同意并更正").check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="提交审核结果").click()
    expect(desk.get_by_role("status")).to_have_text("已同意并更正党员信息")
    expect(desk.locator("tbody")).to_contain_text("没有更正申请")  # nothing pending any more
    screenshot(desk, "desktop-correction-approved")
    me.refresh_from_db()
    assert me.residence == "新村花园 3 幢"
    assert CorrectionRequest.objects.get(member=me).state == "approved"

    phone.reload()
    expect(record.locator("dt:text-is('居住社区') + dd")).to_have_text("新村花园 3 幢")
    expect(mine.first.locator("td[data-label=状态]")).to_have_text("已同意")
    assert phone.errors == [] and desk.errors == []
