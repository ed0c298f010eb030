"""The coverage rule, stationing, attendance, leave approval levels, the 优秀 cap, household data, and refusals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from grassroots.assistance import coverage, rules, services
from grassroots.assistance.models import Stationing
from grassroots.core.models import AuditLog

pytestmark = pytest.mark.django_db
D = datetime.date


def test_coverage_shows_the_gaps_both_ways_and_closes_them(tree, people, aid, root_admin):
    from grassroots.conftest import make_org
    from grassroots.orgs.choices import Category, Kind

    street = make_org(root_admin, tree.district_a, "中共殷庄街道工作委员会", "C0801", Kind.COMMITTEE, Category.AGENCY)
    make_org(root_admin, street, "中共丽苑社区委员会", "C0802", Kind.COMMITTEE, Category.COMMUNITY)  # a street leads communities: not a unit
    services.flag_poor(people.dept_a, tree.village, source="省定经济薄弱村", designated_on=D(2024, 1, 1))
    data = coverage.coverage(tree.city)
    assert {u["name"] for u in data["unpaired_units"]} == {aid.bureau.name, aid.school.name}  # the town committee leads villages: not a unit
    assert [v["name"] for v in data["unpaired_villages"]] == [tree.village.name]  # 东村 is not poor: it need not be paired
    wujin = next(r for r in data["rows"] if r["county"] == tree.district_a.name)
    assert (wujin["units"], wujin["units_paired"], wujin["villages"], wujin["needy"], wujin["needy_gap"]) == (2, 0, 2, 1, 1)

    services.create_pairing(people.dept_a, aid.bureau, tree.village, started_on=D(2026, 1, 1))
    data = coverage.coverage(tree.city)
    assert [u["name"] for u in data["unpaired_units"]] == [aid.school.name]
    assert data["unpaired_villages"] == []
    wujin = next(r for r in data["rows"] if r["county"] == tree.district_a.name)
    assert (wujin["units_paired"], wujin["needy_paired"], wujin["needy_gap"]) == (1, 1, 0)
    assert coverage.needy_without_pair(tree.city.path) == []


def test_a_lifted_flag_no_longer_needs_a_pair(tree, people, aid):
    flag = services.flag_poor(people.dept_a, tree.village, source="省定经济薄弱村", designated_on=D(2024, 1, 1))
    assert [v for v, *_ in coverage.needy_without_pair(tree.city.path)] == [tree.village.pk]
    services.lift_poor(people.dept_a, flag, lifted_on=D(2026, 1, 1), reason="脱贫出列")
    assert coverage.needy_without_pair(tree.city.path) == []


def test_weak_villages_come_from_the_one_switch(tree, people, aid, monkeypatch):
    monkeypatch.setattr(coverage, "villages_under_rectification", lambda path: {aid.village2.pk})
    assert [v["name"] for v in coverage.coverage(tree.city)["unpaired_villages"]] == [aid.village2.name]
    pairing = services.create_pairing(people.dept_a, aid.bureau, aid.village2, started_on=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="整顿结束前帮扶单位不得脱钩"):
        services.end_pairing(people.dept_a, pairing, ended_on=D(2026, 6, 1), reason="调整")


def test_pairing_refusals(tree, people, aid):
    with pytest.raises(ValidationError, match="机关、企事业单位"):
        services.create_pairing(people.dept_a, tree.b_branch, tree.village, started_on=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="村党组织"):
        services.create_pairing(people.dept_a, aid.bureau, tree.town, started_on=D(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.create_pairing(people.secretary_a, aid.bureau, tree.village, started_on=D(2026, 1, 1))
    services.create_pairing(people.dept_a, aid.bureau, tree.village, started_on=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="已与该村结对"):
        services.create_pairing(people.dept_a, aid.bureau, tree.village, started_on=D(2026, 2, 1))


def test_a_poor_village_keeps_its_last_pair(tree, people, aid):
    services.flag_poor(people.dept_a, tree.village, source="省定经济薄弱村", designated_on=D(2024, 1, 1))
    first = services.create_pairing(people.dept_a, aid.bureau, tree.village, started_on=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="须先安排新的结对单位"):
        services.end_pairing(people.dept_a, first, ended_on=D(2026, 6, 1), reason="调整")
    services.create_pairing(people.dept_a, aid.school, tree.village, started_on=D(2026, 5, 1))
    assert services.end_pairing(people.dept_a, first, ended_on=D(2026, 6, 1), reason="调整").state == "ended"


def test_stationing_term_and_who_stations(tree, people, aid):
    kw = {"kind": "first_secretary", "name": "王", "sending_unit": aid.bureau, "started_on": D(2026, 1, 1)}
    with pytest.raises(PermissionDenied, match="乡镇以上"):
        services.station(aid.village_sj, tree.village, term_years=2, **kw)
    for years in (0, 4):
        with pytest.raises(ValidationError, match="1 至 3 年"):
            services.station(aid.town_sj, tree.village, term_years=years, **kw)
    s = services.station(aid.town_sj, tree.village, term_years=3, phone="13912345678", **kw)
    assert (s.ends_on, s.phone_masked) == (D(2028, 12, 31), "139****5678")
    with override_settings(GRASSROOTS_ASSISTANCE_TERM_YEARS=(1, 5)):
        assert services.station(aid.town_sj, tree.village, term_years=5, **kw).term_years == 5


def test_recall_and_replacement(tree, people, aid, stationed):
    new = services.replace(aid.town_sj, stationed, on=D(2026, 3, 1), reason="工作需要", name="赵接替", sending_unit=aid.school, term_years=2)
    stationed.refresh_from_db()
    assert (stationed.state, new.replaces, new.started_on) == ("replaced", stationed, D(2026, 3, 1))
    with pytest.raises(ValidationError, match="已不在岗"):
        services.recall(aid.town_sj, stationed, on=D(2026, 4, 1), reason="再次")
    with pytest.raises(PermissionDenied):
        services.recall(aid.village_sj, new, on=D(2026, 4, 1), reason="越权")
    assert services.recall(aid.town_sj, new, on=D(2026, 4, 1), reason="身体原因").state == "recalled"


def test_attendance_against_the_dated_minimum(tree, aid, stationed):
    row = services.record_attendance(aid.cadre, stationed, month=D(2026, 2, 1), days=19)
    assert (row.required, row.below) == (20, True)
    row = services.record_attendance(aid.cadre, stationed, month=D(2026, 2, 1), days=20)  # corrected, same row
    assert (row.below, stationed.attendance.count()) == (False, 1)
    with pytest.raises(ValidationError, match="0 至 28"):
        services.record_attendance(aid.cadre, stationed, month=D(2026, 2, 1), days=29)
    with pytest.raises(ValidationError, match="不在驻村期间"):
        services.record_attendance(aid.cadre, stationed, month=D(2025, 5, 1), days=20)
    with pytest.raises(PermissionDenied):
        services.record_attendance(aid.village_sj, stationed, month=D(2026, 2, 1), days=20)
    with override_settings(GRASSROOTS_ASSISTANCE_MIN_DAYS=((D(2021, 5, 1), 20), (D(2026, 3, 1), 22))):
        assert rules.min_days(D(2026, 2, 1)) == 20
        assert services.record_attendance(aid.cadre, stationed, month=D(2026, 3, 1), days=21).below


def test_leave_goes_to_the_township_or_the_county(tree, people, aid, stationed):
    short = services.request_leave(aid.cadre, stationed, starts_on=D(2026, 3, 2), ends_on=D(2026, 3, 4), reason="家事")
    long = services.request_leave(aid.cadre, stationed, starts_on=D(2026, 4, 1), ends_on=D(2026, 4, 4), reason="治病")
    assert (short.days, short.level, short.approver_org) == (3, "township", tree.town)
    assert (long.days, long.level, long.approver_org) == (4, "county", tree.district_a)
    with pytest.raises(PermissionDenied, match="县级审批"):
        services.decide_leave(aid.town_sj, long, approve=True)
    with pytest.raises(PermissionDenied):
        services.decide_leave(aid.village_sj, short, approve=True)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.decide_leave(aid.town_sj, short, approve=False)
    assert services.decide_leave(aid.town_sj, short, approve=True).state == "approved"
    assert services.decide_leave(people.dept_a, long, approve=False, note="工作关键期").state == "rejected"
    with pytest.raises(ValidationError, match="已审批"):
        services.decide_leave(aid.town_sj, short, approve=False, note="改")
    with pytest.raises(ValidationError, match="重叠"):
        services.request_leave(aid.cadre, stationed, starts_on=D(2026, 3, 4), ends_on=D(2026, 3, 5), reason="又")
    with override_settings(GRASSROOTS_ASSISTANCE_TOWNSHIP_LEAVE_DAYS=5):
        assert services.request_leave(aid.cadre, stationed, starts_on=D(2026, 5, 1), ends_on=D(2026, 5, 5), reason="探亲").level == "township"


def test_work_log_one_per_month(tree, aid, stationed):
    services.write_log(aid.cadre, stationed, month=D(2026, 2, 10), work="走访农户 30 户")
    log = services.write_log(aid.cadre, stationed, month=D(2026, 2, 1), work="走访农户 32 户", plan="修路")
    assert (stationed.logs.count(), log.work, log.month) == (1, "走访农户 32 户", D(2026, 2, 1))
    with pytest.raises(ValidationError, match="本月工作"):
        services.write_log(aid.cadre, stationed, month=D(2026, 1, 1), work=" ")


def test_excellent_share_is_capped_per_county(tree, people, aid, stationed):
    cadres = [stationed] + [services.station(aid.town_sj, tree.village, kind="team_member", name=f"队员{i}", sending_unit=aid.bureau,
                                             started_on=D(2026, 1, 1), term_years=2) for i in range(4)]  # 5 in the county: 20 % is 1
    with pytest.raises(PermissionDenied):
        services.assess(aid.town_sj, cadres[0], year=2026, grade="excellent")
    services.assess(people.dept_a, cadres[0], year=2026, grade="excellent", typical=True, typical_summary="带领村民发展特色产业")
    with pytest.raises(ValidationError, match="优秀比例不得超过 20%"):
        services.assess(people.dept_a, cadres[1], year=2026, grade="excellent")
    services.assess(people.dept_a, cadres[0], year=2026, grade="excellent", comment="再评")  # re-grading the same cadre is not a second one
    with pytest.raises(ValidationError, match="只有考核优秀"):
        services.assess(people.dept_a, cadres[2], year=2026, grade="competent", typical=True, typical_summary="x")
    assert services.assess(people.dept_a, cadres[1], year=2026, grade="competent").grade == "competent"
    assert rules.excellent_allowed(1, 5) and not rules.excellent_allowed(2, 9) and rules.excellent_allowed(2, 10)


def test_household_data_is_encrypted_masked_and_reveals_audited(tree, people, aid, stationed):
    h = services.add_household(aid.cadre, tree.village, kind="empty_nest", head_name="孙大娘", id_number="320412195001011234", phone="13700001111",
                               address="新村3组18号")
    assert (h.id_number_masked, h.phone_masked, h.address_masked) == ("3204**********1234", "137****1111", "新村3组****")
    assert "13700001111" not in h.phone_encrypted
    assert services.reveal(people.dept_a, h, "phone") == "13700001111"
    assert AuditLog.objects.filter(action="reveal", object_id=str(h.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal(people.supervisor, h, "id_number")
    with pytest.raises(ValidationError, match="该户已登记"):
        services.add_household(aid.cadre, tree.village, kind="poor", head_name="孙大娘", id_number="320412195001011234")
    link = services.link_household(aid.village_sj, h, stationing=stationed, started_on=D(2026, 1, 1))
    visit = services.record_visit(aid.cadre, link, visited_on=D(2026, 3, 1), needs="屋顶漏雨", solved="协调修缮", resolved=True)
    assert (link.cadre_name, visit.resolved) == ("李驻村", True)
    with pytest.raises(PermissionDenied):
        services.record_visit(people.supervisor, link, visited_on=D(2026, 3, 1), needs="越权")


def test_stationed_cadre_sees_only_their_village(tree, people, aid, stationed):
    assert list(Stationing.objects.visible_to(aid.cadre)) == [stationed]
    assert list(Stationing.objects.visible_to(aid.contact)) == [stationed]  # the sending unit's contact
    assert list(Stationing.objects.visible_to(people.secretary_b)) == []


def test_a_real_open_rectification_case_needs_a_pair_and_keeps_its_cadres(tree, people, aid):
    from grassroots.rectification.models import Case
    from grassroots.tracking import services as tracking

    book = tracking.create_list(people.dept_a, aid.village2, title="整改措施", source="rectification.case", source_id=None)
    case = Case.objects.create(org=aid.village2, org_path=aid.village2.path, township=tree.town, year=2026, task_list=book,
                               due_on=D(2026, 12, 31), opened_on=D(2026, 3, 1))
    assert [v["name"] for v in coverage.coverage(tree.city)["unpaired_villages"]] == [aid.village2.name]
    s = services.station(aid.town_sj, aid.village2, kind="first_secretary", name="整顿书记", sending_unit=aid.bureau, started_on=D(2026, 3, 1),
                         term_years=2, case=case)
    assert s.case == case
    with pytest.raises(ValidationError, match="不得撤离"):
        services.recall(aid.town_sj, s, on=D(2026, 6, 1), reason="调整")
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=D(2026, 11, 1))
    assert coverage.coverage(tree.city)["unpaired_villages"] == []
    assert services.recall(aid.town_sj, s, on=D(2026, 12, 1), reason="整顿销号").state == "recalled"
