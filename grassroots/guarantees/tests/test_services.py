import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.conftest import make_user
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import Role
from grassroots.guarantees import queries, rules, services
from grassroots.guarantees.choices import ReportState
from grassroots.guarantees.models import Report
from grassroots.tracking.models import Task

pytestmark = pytest.mark.django_db


def pdf():
    return SimpleUploadedFile("经费文件.pdf", b"%PDF-1.4 test", content_type="application/pdf")


def test_required_is_the_larger_of_floor_and_ratio_times_base():
    assert rules.required(None, "1.2", "42000") == Decimal("50400.00")
    assert rules.required("60000", "1.2", "42000") == Decimal("60000")
    assert rules.shortfall("money", Decimal("50400.00"), Decimal("48000"), None) == (False, Decimal("2400.00"))
    assert rules.shortfall("money", Decimal("50400.00"), Decimal("50400"), None) == (True, Decimal("0"))
    assert rules.shortfall("yes", None, None, False) == (False, None)


@pytest.fixture
def setup(tree, people):
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    town = make_user("town_zzy", Role.SECRETARY, tree.town)
    d = people.dept_a
    on = datetime.date(2026, 1, 1)
    services.add_standard(people.city_dept, tree.city, item="work_funds", applies_to="rural", valid_from=on, floor="50000")
    services.add_standard(d, tree.district_a, item="work_funds", applies_to="rural", valid_from=on, floor="100000")  # overrides the city
    services.add_standard(d, tree.district_a, item="secretary_pay", applies_to="rural", valid_from=on, ratio="1.2", base="42000")
    services.add_standard(d, tree.district_a, item="venue_area", applies_to="rural", valid_from=on, floor="500")
    services.add_standard(d, tree.district_a, item="pension", applies_to="rural", valid_from=on)
    campaign = services.open_campaign(d, tree.district_a, year=2026, due_on=datetime.date(2026, 12, 20))
    return village_sj, town, campaign


def _fill(actor, report):
    figures = {"work_funds": "90000", "secretary_pay": "48000", "venue_area": "650", "pension": True, "medical": True,
               "venue_facilities": True, "service_funds": "20000", "dues_share": "60"}
    services.save_figures(actor, report, figures)
    services.add_evidence(actor, report, pdf())
    return services.submit_report(actor, report)


def test_a_campaign_reports_verifies_and_turns_shortfalls_into_tasks(tree, people, setup):
    village_sj, town, campaign = setup
    report = Report.objects.get(campaign=campaign)
    assert report.org == tree.village and campaign.reports.count() == 1  # branches inside the village are not units
    _fill(village_sj, report)
    with pytest.raises(PermissionDenied):  # the wrong level: the village may not verify its own figures
        services.verify_report(village_sj, report)
    services.verify_report(town, report, today=datetime.date(2026, 12, 3))
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED and report.failing == 2
    assert report.gap_total == Decimal("12400.00")  # 100000 - 90000 + 50400 - 48000
    tasks = Task.objects.filter(task_list=report.task_list).order_by("position")
    assert [t.title for t in tasks] == ["落实村（社区）工作经费列入财政预算", "落实村党组织书记报酬（对照上年度当地农村居民人均可支配收入）"]
    assert all(t.assignee_org == tree.village and t.due_on == datetime.date(2027, 3, 3) for t in tasks)
    with pytest.raises(ValidationError):  # verified: no more changes
        services.save_figures(village_sj, report, {"work_funds": "100000"})
    rows, per_item, totals, chart = queries.dashboard(Report.objects.visible_to(people.city_dept), [tree.district_a, tree.district_b])
    assert totals["gap"] == Decimal("12400.00") and rows[0]["failing"] == 1 and rows[1]["reports"] == 0


def test_submit_needs_every_figure_and_evidence(setup):
    village_sj, _town, campaign = setup
    report = campaign.reports.get()
    services.save_figures(village_sj, report, {"work_funds": "90000"})
    with pytest.raises(ValidationError):
        services.submit_report(village_sj, report)


def test_a_new_standard_ends_the_previous_one(tree, people):
    d = people.dept_a
    first = services.add_standard(d, tree.district_a, item="service_funds", applies_to="rural", valid_from=datetime.date(2025, 1, 1), floor="10000")
    services.add_standard(d, tree.district_a, item="service_funds", applies_to="rural", valid_from=datetime.date(2026, 7, 1), floor="20000")
    first.refresh_from_db()
    assert first.valid_to == datetime.date(2026, 6, 30)
    assert services.standard_for(tree.village.path, "service_funds", "rural", datetime.date(2026, 6, 30)).floor == Decimal("10000")
    assert services.standard_for(tree.village.path, "service_funds", "rural", datetime.date(2026, 12, 31)).floor == Decimal("20000")
    with pytest.raises(PermissionDenied):
        services.add_standard(people.secretary_a, tree.branch_a, item="service_funds", applies_to="rural", valid_from=datetime.date(2026, 1, 1), floor="1")


def test_township_conditions_checked_from_above(tree, people):
    row = services.check_conditions(people.dept_a, tree.town, year=2026, canteen=True, dormitory=True, bathhouse=False)
    assert not row.complete
    with pytest.raises(PermissionDenied):
        services.check_conditions(make_user("t2", Role.SECRETARY, tree.town), tree.town, year=2026, canteen=True, dormitory=True, bathhouse=True)
