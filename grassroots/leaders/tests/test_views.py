import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grassroots.leaders import services
from grassroots.leaders.models import Election, Reserve, Review

from .conftest import run_to_vote

pytestmark = pytest.mark.django_db


def test_every_list_page_and_export_opens(client, tree, people, village_people):
    election, _ = run_to_vote(people.dept_a, tree, village_people)
    client.force_login(people.dept_a)
    for name in ("overview", "overview_export", "election_list", "election_export", "audit_list", "audit_export", "reserve_list",
                 "reserve_export", "reserve_template", "course_list", "hours_export", "review_list", "review_export", "career",
                 "plan_create", "election_create", "audit_create", "reserve_create", "reserve_import", "course_create", "review_create"):
        response = client.get(reverse(f"leaders:{name}"))
        assert response.status_code == 200, name
    page = client.get(reverse("leaders:election_detail", args=[election.pk]))
    assert "选民名单已于" in page.content.decode() or "名单已于" in page.content.decode()


def test_election_pages_from_plan_to_close(client, tree, people, village_people):
    client.force_login(people.dept_a)
    election, cands = run_to_vote(people.dept_a, tree, village_people)
    n = election.party_roll_size
    r = client.post(reverse("leaders:count", args=[election.pk]), {"body": "party", "ballots_cast": n + 1, f"votes_{cands[0].pk}": 1})
    assert "超过冻结的选民名单" in client.get(r.url).content.decode()
    client.post(reverse("leaders:count", args=[election.pk]), {"body": "party", "ballots_cast": n, f"votes_{cands[0].pk}": n, f"votes_{cands[1].pk}": n})
    client.post(reverse("leaders:count", args=[election.pk]), {"body": "villagers", "ballots_cast": 9, f"votes_{cands[3].pk}": 9})
    client.post(reverse("leaders:advance", args=[election.pk]))
    r = client.post(reverse("leaders:close", args=[election.pk]), {"reported_on": "2026-11-25"})
    assert "审计尚未完成" in client.get(r.url).content.decode()
    r = client.post(reverse("leaders:audit_create"), {"org": tree.village.pk, "election": election.pk, "kind": "exit", "person_name": "老书记",
                                                    "post_label": "书记", "scope": "任期内财务收支", "auditor": "镇审计办"})
    assert r.status_code == 302, r.content.decode()
    audit_url = r.url
    client.post(audit_url, {"findings": "票据不全两笔", "follow_up": "已补齐", "finished_on": "2026-11-21"})
    client.post(reverse("leaders:close", args=[election.pk]), {"reported_on": "2026-11-25"})
    assert Election.objects.get(pk=election.pk).stage == "closed"
    pk = int(audit_url.rstrip("/").split("/")[-1])
    client.post(reverse("leaders:audit_publish", args=[pk]))
    from grassroots.disclosure.models import Disclosure

    assert Disclosure.objects.filter(org=tree.village, title__contains="离任审计").exists()


def test_reserve_import_all_or_nothing_and_masks(client, tree, people):
    client.force_login(people.dept_a)
    wb = Workbook()
    wb.active.append(["姓名", "性别", "出生日期", "学历", "来源", "公民身份号码", "联系电话", "培养方向", "入库日期", "入库理由"])
    wb.active.append(["王小明", "男", datetime.date(1992, 5, 1), "大学本科", "返乡创业人员", "", "13812345678", "书记", datetime.date(2026, 3, 1), "返乡"])
    wb.active.append(["", "女", datetime.date(1995, 5, 1), "大学本科", "未知来源", "", "", "", datetime.date(2026, 3, 1), ""])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post(reverse("leaders:reserve_import"), {"org": tree.village.pk, "file": SimpleUploadedFile("r.xlsx", buf.getvalue())})
    assert "第 3 行" in r.content.decode() and Reserve.objects.count() == 0
    wb.active.delete_rows(3)
    buf = io.BytesIO()
    wb.save(buf)
    client.post(reverse("leaders:reserve_import"), {"org": tree.village.pk, "file": SimpleUploadedFile("r.xlsx", buf.getvalue())})
    reserve = Reserve.objects.get()
    assert reserve.phone_masked == "138****5678" and "13812345678" not in reserve.phone_encrypted
    page = client.get(reverse("leaders:reserve_detail", args=[reserve.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_two_consecutive_incompetent_flagged(client, tree, people):
    for year in (2024, 2025):
        services.record_review(people.dept_a, tree.village, year=year, name="钱七", post_label="村委会主任", report="述职", grade="incompetent")
    services.record_review(people.dept_a, tree.village, year=2023, name="孙八", post_label="委员", report="述职", grade="incompetent")
    services.record_review(people.dept_a, tree.village, year=2025, name="孙八", post_label="委员", report="述职", grade="incompetent")
    client.force_login(people.dept_a)
    page = client.get(reverse("leaders:review_list")).content.decode()
    flagged = page.split("应予调整")[1].split("</section>")[0]
    assert "钱七" in flagged and "孙八" not in flagged
    assert Review.objects.count() == 4


def test_reserve_shortfall_and_training_below_minimum(client, tree, people, members):
    from grassroots.core import scoping
    from grassroots.leaders import queries

    services.add_reserve(people.dept_a, tree.village, {"name": "甲", "gender": "male", "birth_date": datetime.date(1990, 1, 1), "source": "graduate"})
    q = scoping.path_q("path", [tree.district_a.path])
    assert [o.pk for o in queries.reserve_shortfall(q)] == [tree.village.pk]  # one reserve, two needed
    services.add_reserve(people.dept_a, tree.village, {"name": "乙", "gender": "female", "birth_date": datetime.date(1991, 1, 1), "source": "returnee"})
    assert not queries.reserve_shortfall(q).exists()
    course = services.create_course(people.dept_a, tree.town, title="村书记轮训", held_on=datetime.date(2026, 5, 1), hours=24)
    services.add_attendance(people.dept_a, course, reserve=Reserve.objects.get(name="甲"))
    below = {r["name"]: r["hours"] for r in queries.training_below(tree.district_a.path, 2026)}
    assert below == {"甲": 24, "乙": 0}


def test_date_fields_render_iso_dates_a_date_input_accepts(client, tree, people):
    """A date input takes only YYYY-MM-DD: a localized 2026/12/04 leaves it empty and a required field blocks the form
    (the close form of an election was unusable in the browser)."""
    from django.utils import timezone

    record = services.create_audit(people.dept_a, tree.village, kind="exit", person_name="老书记", post_label="书记", scope="任期",
                                   auditor="镇审计办")
    client.force_login(people.dept_a)
    page = client.get(reverse("leaders:audit_detail", args=[record.pk])).content.decode()
    assert f'type="date" name="finished_on" value="{timezone.localdate().isoformat()}"' in page


def test_terms_of_every_village_with_state_and_excel(client, tree, people, village_people):
    """两委任期: each village's Party-organization term (the organization's) and villagers' committee term (from the
    last closed election), 已届满 / soon due flagged, filter, Excel; reachable from the side menu."""
    from django.utils import timezone

    from grassroots.orgs import services as org_services

    today = timezone.localdate()
    client.force_login(people.dept_a)
    page = client.get(reverse("leaders:term_list")).content.decode()
    assert tree.village.name in page and "未登记任期" in page
    assert f'href="{reverse("leaders:term_list")}"' in client.get("/").content.decode()
    org_services.update_organization(people.dept_a, tree.village, {"term_start": datetime.date(2021, 1, 1), "term_end": today - datetime.timedelta(days=1)})
    page = client.get(reverse("leaders:term_list"), {"due": "1"}).content.decode()
    assert "已届满" in page and tree.village.name in page
    org_services.update_organization(people.dept_a, tree.village, {"term_start": today, "term_end": services.rules.term_end(today)})
    assert tree.village.name not in client.get(reverse("leaders:term_list"), {"due": "1"}).content.decode()
    assert "任期内" in client.get(reverse("leaders:term_list")).content.decode()
    from python_calamine import CalamineWorkbook

    r = client.get(reverse("leaders:term_export"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).get_sheet_by_index(0).to_python()
    assert rows[0][1] == "村（社区）" and any(row[1] == tree.village.name and row[-1] == "任期内" for row in rows[1:])


def test_term_state_boundaries(settings):
    from grassroots.leaders import queries

    settings.GRASSROOTS_LEADERS_TERM_REMINDER_DAYS = (60, 30)
    today = datetime.date(2026, 12, 4)
    assert queries.term_state(None, today, False)[0] == "未登记任期"
    assert queries.term_state(today - datetime.timedelta(days=1), today, False)[0] == "已届满"
    assert queries.term_state(today, today, False)[0] == "0 天后届满"
    assert queries.term_state(today + datetime.timedelta(days=60), today, False)[0] == "60 天后届满"
    assert queries.term_state(today + datetime.timedelta(days=61), today, False)[0] == "任期内"
    assert queries.term_state(today - datetime.timedelta(days=1), today, True)[0] == "换届进行中"
    settings.GRASSROOTS_LEADERS_TERM_YEARS = 3
    assert services.rules.term_end(datetime.date(2026, 11, 20)) == datetime.date(2029, 11, 19)
