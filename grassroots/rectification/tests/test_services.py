import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.ballots import services as ballots
from grassroots.conftest import make_member, make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import PostTitle
from grassroots.orgs.models import Post
from grassroots.rectification import rules, services
from grassroots.rectification.alerts import alerts as vacancy_alerts
from grassroots.rectification.models import Acceptance, Case, CaseEvent
from grassroots.tracking import services as tracking

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def vacant_since(org, days):
    holder = make_member(org)
    Post.objects.create(org=org, title=PostTitle.SECRETARY, holder=holder, started_on=datetime.date(2015, 1, 1),
                        ended_on=TODAY - datetime.timedelta(days=days))


# ---- rules ---------------------------------------------------------------------------------------------------------


def test_rule_set_is_chosen_by_date_and_lists_the_central_criteria():
    rs = rules.rule_set_for(datetime.date(2026, 6, 1))
    labels = "".join(c.label for c in rs.criteria)
    for word in ("书记空缺", "不胜任", "不团结", "组织生活不正常", "村务财务", "宗族宗教", "群众意见大", "集体经济薄弱", "换届"):
        assert word in labels
    assert rs.kinds()["rectification.secretary_vacant"] == rules.SECRETARY_VACANT


def test_required_share_rounds_up_and_even_split():
    assert rules.required_count(23, Decimal("0.10")) == 3
    assert rules.required_count(20, Decimal("0.10")) == 2
    assert rules.required_count(0, Decimal("0.10")) == 0
    assert rules.even_split({"甲镇": 2, "乙镇": 2})
    assert not rules.even_split({"甲镇": 2, "乙镇": 1})
    assert not rules.even_split({"甲镇": 2})


def test_local_numbers_are_settings(settings):
    settings.GRASSROOTS_RECTIFICATION_VACANCY_MONTHS = 6
    assert not rules.signal_counts("rectification.secretary_vacant", TODAY - datetime.timedelta(days=120), TODAY)
    settings.GRASSROOTS_RECTIFICATION_VACANCY_MONTHS = 3
    assert rules.signal_counts("rectification.secretary_vacant", TODAY - datetime.timedelta(days=120), TODAY)


# ---- the evidence of each signal -----------------------------------------------------------------------------------


def test_secretary_vacancy_signal_and_threshold(staffed, people):
    Post.objects.filter(org=staffed.village).update(ended_on=TODAY - datetime.timedelta(days=100))
    found = vacancy_alerts([staffed.district_a.path], TODAY)
    assert [(a.org_id, a.kind) for a in found] == [(staffed.village.pk, "rectification.secretary_vacant")]
    assert vacancy_alerts([staffed.district_b.path], TODAY) == []
    assert "书记空缺 100 天" in found[0].evidence
    rs = rules.rule_set_for(TODAY)
    ev = {e["kind"]: e for e in services.evidence_by_unit(staffed.district_a, TODAY, rs)[staffed.village.pk]}
    assert ev["rectification.secretary_vacant"]["criterion"] == rules.SECRETARY_VACANT
    # 60 days is under the 3 months of the local setting: the alert is raised but does not count in the screening
    Post.objects.filter(org=staffed.village).update(ended_on=TODAY - datetime.timedelta(days=60))
    ev = services.evidence_by_unit(staffed.district_a, TODAY, rs).get(staffed.village.pk, [])
    assert "rectification.secretary_vacant" not in {e["kind"] for e in ev}


def test_lost_contact_signal_is_attributed_to_the_village(staffed, people, members):
    from grassroots.relations.services import open_lost_contact

    open_lost_contact(people.dept_a, members.b1, last_contact_on=datetime.date(2026, 1, 5), opened_on=datetime.date(2026, 3, 1))
    ev = services.evidence_by_unit(staffed.district_a, TODAY, rules.rule_set_for(TODAY))[staffed.village.pk]
    lost = [e for e in ev if e["kind"] == "relations.lost_contact"]
    assert lost and "1 名党员失联" in lost[0]["evidence"] and lost[0]["org_id"] == staffed.branch_b.pk
    assert lost[0]["criterion"] == "life_abnormal"


def test_no_development_signal_uses_the_years_setting(staffed, people, settings):
    from grassroots.orgs.models import Organization

    Organization.objects.filter(pk=staffed.branch_a.pk).update(established_on=datetime.date(2010, 1, 1))
    Organization.objects.filter(pk=staffed.branch_b.pk).update(established_on=TODAY - datetime.timedelta(days=500))
    ev = services.evidence_by_unit(staffed.district_a, TODAY, rules.rule_set_for(TODAY))[staffed.village.pk]
    dev = [e for e in ev if e["kind"] == "development.none_developed"]
    assert [e["org_id"] for e in dev] == [staffed.branch_a.pk]  # branch B is 500 days old: under 2 years
    assert dev[0]["evidence"] == "无发展党员记录"


def test_six_months_without_organizational_life_signal(staffed, members):
    from grassroots.orglife.alerts import alerts

    found = [a for a in alerts([staffed.district_a.path], TODAY) if a.kind == "orglife.six_months"]
    assert {a.org_id for a in found} >= {staffed.branch_b.pk}
    assert all("连续六个月未参加组织生活" in a.evidence for a in found)
    meetings = [a for a in alerts([staffed.district_a.path], TODAY) if a.kind == "orglife.meetings_missing"]
    assert meetings and "三会一课应开" in meetings[0].evidence


def test_stuck_matter_signal(staffed, people):
    from grassroots.decisions.alerts import alerts
    from grassroots.decisions.models import Matter
    from grassroots.decisions.tests.factories import new_matter, roll

    roll(staffed, people.dept_a)
    matter = new_matter(people.dept_a, staffed.village)
    Matter.objects.filter(pk=matter.pk).update(stage_since=TODAY - datetime.timedelta(days=200))
    found = [a for a in alerts([staffed.district_a.path], TODAY) if a.kind == "decisions.stuck"]
    assert [(a.org_id, a.count) for a in found] == [(staffed.village.pk, 1)]
    assert alerts([staffed.district_b.path], TODAY) == []


def test_overdue_disclosure_signal(staffed, people):
    from grassroots.disclosure import services as disclosure
    from grassroots.disclosure.alerts import alerts

    disclosure.set_schedule(people.dept_a, staffed.village, category="village", frequency="quarter", starts_on=datetime.date(2026, 1, 1))
    found = [a for a in alerts([staffed.district_a.path], TODAY)]
    assert found and found[0].org_id == staffed.village.pk and "期例行公开逾期" in found[0].evidence


def test_a_lead_found_true_is_evidence_of_the_masses_complaints(staffed, people):
    from grassroots.discipline.choices import Finding, LeadState, Source
    from grassroots.discipline.models import Lead

    Lead.objects.create(org=staffed.branch_b, org_path=staffed.branch_b.path, number="JB-1", source=Source.LETTER, category="finance",
                        summary="虚报冒领", detail="……", received_on=datetime.date(2026, 3, 1), state=LeadState.CONCLUDED,
                        finding=Finding.TRUE, concluded_on=datetime.date(2026, 6, 1))
    ev = services.evidence_by_unit(staffed.district_a, TODAY, rules.rule_set_for(TODAY))[staffed.village.pk]
    (lead,) = [e for e in ev if e["kind"] == "discipline.concluded_true"]
    assert lead["criterion"] == "masses_complaints" and "1 件经查属实" in lead["evidence"]


def test_the_rule_set_names_only_signals_the_apps_raise():
    from grassroots.core.alerting import alert_kinds

    named = set(rules.rule_set_for(TODAY).kinds())
    assert named <= set(alert_kinds()), named - set(alert_kinds())
    assert {"rectification.secretary_vacant", "orglife.meetings_missing", "dues.arrears", "relations.lost_contact",
            "development.none_developed", "disclosure.routine_overdue", "decisions.stuck"} <= named


# ---- screening -----------------------------------------------------------------------------------------------------


def test_screening_proposes_with_evidence_and_township_adds_or_removes_with_reason(staffed, people, town_user, town2):
    town, other_village = town2
    Post.objects.filter(org=staffed.village).update(ended_on=TODAY - datetime.timedelta(days=200))
    s = services.start_screening(people.dept_a, staffed.district_a, 2026, TODAY)
    c = s.candidates.get(org=staffed.village)
    assert c.township == staffed.town and c.source == "proposed"
    other = s.candidates.filter(org=other_village).first()  # other apps' signals (leaders, orglife) may flag it too
    if other is not None:
        services.exclude_candidate(people.dept_a, other, reason="核实后不列入")
    assert any("书记空缺" in e["evidence"] for e in c.evidence)
    with pytest.raises(ValidationError, match="剔除理由"):
        services.exclude_candidate(town_user, c, reason=" ")
    services.exclude_candidate(town_user, c, reason="新书记已到任")
    c.refresh_from_db()
    assert not c.included and c.reason == "新书记已到任"
    # the township cannot touch the other township's village
    with pytest.raises(PermissionDenied):
        services.add_candidate(town_user, s, other_village, problems=["disunited"], reason="班子不团结")
    status = services.share_status(s)
    assert status["villages"] == 2 and status["need_villages"] == 1 and not status["reached"]
    with pytest.raises(ValidationError, match="未达到"):
        services.confirm_screening(people.dept_a, s, due_on=TODAY + datetime.timedelta(days=180), today=TODAY)
    services.add_candidate(people.dept_a, s, other_village, problems=["disunited"], reason="班子长期不团结")
    services.add_candidate(town_user, s, staffed.village, problems=["secretary_vacant"], reason="复核仍空缺")
    status = services.share_status(s)
    assert status["reached"] and status["even_split"]  # one per township: flagged
    with pytest.raises(PermissionDenied):
        services.confirm_screening(town_user, s, due_on=TODAY + datetime.timedelta(days=180), today=TODAY)
    cases = services.confirm_screening(people.dept_a, s, due_on=TODAY + datetime.timedelta(days=180), today=TODAY)
    assert {c.org for c in cases} == {staffed.village, other_village}
    vacant = Case.objects.get(org=staffed.village)
    assert list(vacant.obligations.values_list("kind", flat=True)) == [rules.REMEDY_STAFF]
    assert Case.objects.get(org=other_village).obligations.get().kind == rules.REMEDY_RECTIFY
    assert Case.objects.open_for(staffed.village) == vacant
    assert vacant.task_list.org == staffed.town  # measures are signed off by the township


def test_a_township_sees_only_its_villages(staffed, people, town_user, town2):
    _town, other_village = town2
    mine = services.open_case(people.dept_a, staffed.village, year=2026, problems=["disunited"], due_on=TODAY + datetime.timedelta(days=90))
    services.open_case(people.dept_a, other_village, year=2026, problems=["disunited"], due_on=TODAY + datetime.timedelta(days=90))
    assert list(Case.objects.visible_to(town_user)) == [mine]
    assert Case.objects.visible_to(people.dept_a).count() == 2
    assert Case.objects.visible_to(people.secretary_b).count() == 0


def test_one_open_case_per_organization(staffed, people):
    services.open_case(people.dept_a, staffed.village, year=2026, problems=["disunited"], due_on=TODAY + datetime.timedelta(days=90))
    with pytest.raises(ValidationError, match="未销号"):
        services.open_case(people.dept_a, staffed.village, year=2026, problems=["weak_economy"], due_on=TODAY + datetime.timedelta(days=90))


# ---- case: support, detaching, obligations, acceptance, 回潮 -------------------------------------------------------


@pytest.fixture
def case(staffed, people):
    return services.open_case(people.dept_a, staffed.village, year=2026, problems=["secretary_vacant", "weak_economy"],
                              due_on=TODAY + datetime.timedelta(days=120))


def test_support_cannot_detach_while_open(case, people, tree):
    unit = make_org(people.admin, tree.district_a, "武进区农业农村局党组", "C0901")
    services.set_support(people.dept_a, case, contact_leader="王副区长", assisting_unit=unit)
    with pytest.raises(ValidationError, match="不得脱钩"):
        services.set_support(people.dept_a, case, assisting_unit=None)
    with pytest.raises(ValidationError, match="县级联系领导不得脱钩"):
        services.set_support(people.dept_a, case, contact_leader="")
    cadre = services.add_stationed(people.dept_a, case, kind="work_team", name="区农业农村局工作队")
    with pytest.raises(ValidationError, match="工作队不得脱钩"):
        services.remove_stationed(people.dept_a, cadre, reason="调回")
    case.refresh_from_db()
    assert case.assisting_unit == unit and case.contact_leader == "王副区长"


def test_first_secretary_meets_the_vacancy_obligation(case, people):
    ob = case.obligations.get()
    assert ob.kind == rules.REMEDY_STAFF and ob.due_on == TODAY + datetime.timedelta(days=90)
    services.add_stationed(people.dept_a, case, kind="first_secretary", name="李第一书记")
    ob.refresh_from_db()
    assert ob.met_on == TODAY and "第一书记" in ob.how


def test_reminders_of_obligations_reach_the_township(case, people, town_user):
    from grassroots.core.models import Notification

    case.obligations.update(due_on=TODAY + datetime.timedelta(days=3))
    assert services.send_reminders(TODAY) == 1
    assert Notification.objects.filter(recipient=town_user, title__contains="即将到期").exists()
    assert Notification.objects.filter(recipient=people.dept_a).exists()
    assert services.send_reminders(TODAY) == 0  # once a day


def finish_measures(case, people):
    task = services.add_measure(people.dept_a, case, title="发展村级集体经济项目", due_on=TODAY + datetime.timedelta(days=30), responsible_name="张三")
    tracking.report_progress(people.dept_a, task, percent=100, text="项目已投产", reported_on=TODAY)
    tracking.submit(people.dept_a, task)
    tracking.sign_off(people.dept_a, task)
    for ob in case.obligations.filter(met_on__isnull=True):
        services.meet_obligation(people.dept_a, ob, how="选举产生新书记")


def poll(case, people, satisfied, dissatisfied):
    round, tokens = services.start_poll(people.dept_a, case, tokens=satisfied + dissatisfied)
    for t in tokens[:satisfied]:
        ballots.cast(round, {"case": "satisfied"}, token=t)
    for t in tokens[satisfied:]:
        ballots.cast(round, {"case": "dissatisfied"}, token=t)
    return round


def test_accept_without_poll_is_refused(case, people):
    with pytest.raises(ValidationError, match="未经群众满意度测评"):
        services.accept(people.dept_a, case)


def test_poll_needs_measures_signed_off_and_remedies_met(case, people):
    with pytest.raises(ValidationError, match="尚未制定整改措施"):
        services.start_poll(people.dept_a, case, tokens=3)
    services.add_measure(people.dept_a, case, title="整顿", due_on=TODAY + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="未经签字办结"):
        services.start_poll(people.dept_a, case, tokens=3)


def test_poll_below_threshold_reopens_as_remedial_and_keeps_the_failed_acceptance(case, people):
    finish_measures(case, people)
    round = poll(case, people, satisfied=5, dissatisfied=5)
    with pytest.raises(ValidationError, match="尚未截止"):
        services.accept(people.dept_a, case)
    ballots.close_round(people.dept_a, round)
    failed = services.accept(people.dept_a, case, today=TODAY)
    case.refresh_from_db()
    assert failed.passed is False and failed.satisfaction == Decimal("0.5")
    assert case.stage == Case.Stage.REMEDIAL and case.reopen_count == 1
    assert case.due_on == TODAY + datetime.timedelta(days=rules.remedial_days())
    assert "低于 60%" in case.reopen_reason
    # second round, satisfied: closed and watched, the failed acceptance is still there
    round = poll(case, people, satisfied=9, dissatisfied=1)
    ballots.close_round(people.dept_a, round)
    passed = services.accept(people.dept_a, case, today=TODAY)
    case.refresh_from_db()
    assert passed.passed and case.stage == Case.Stage.CLOSED and case.closed_on == TODAY
    assert Acceptance.objects.filter(case=case).count() == 2
    assert case.watch_until == datetime.date(2027, 12, 3)
    assert Case.objects.open_for(case.org) is None


def test_paper_counts_count_in_the_satisfaction(case, people):
    finish_measures(case, people)
    round, _ = services.start_poll(people.dept_a, case, paper_masses=10)
    ballots.enter_paper_counts(people.dept_a, round, "masses", {"case": {"satisfied": 4, "basically_satisfied": 3, "dissatisfied": 3}})
    ballots.close_round(people.dept_a, round)
    result = services.accept(people.dept_a, case, today=TODAY)
    assert result.passed and result.satisfaction == Decimal("0.7")


def test_once_closed_support_may_leave(case, people, tree):
    finish_measures(case, people)
    cadre = services.add_stationed(people.dept_a, case, kind="cadre", name="驻村干部甲")
    round = poll(case, people, satisfied=3, dissatisfied=0)
    ballots.close_round(people.dept_a, round)
    services.accept(people.dept_a, case, today=TODAY)
    services.remove_stationed(people.dept_a, cadre, reason="整顿销号")
    cadre.refresh_from_db()
    assert cadre.left_on == TODAY


def test_relapse_reopens_a_watched_case_and_says_why(case, people, staffed):
    finish_measures(case, people)
    round = poll(case, people, satisfied=3, dissatisfied=0)
    ballots.close_round(people.dept_a, round)
    services.accept(people.dept_a, case, today=TODAY)
    assert services.check_relapses(TODAY) == []
    # the secretary leaves again and the post stays vacant beyond three months
    Post.objects.filter(org=staffed.village).update(ended_on=TODAY - datetime.timedelta(days=120))
    later = TODAY + datetime.timedelta(days=1)
    (reopened,) = services.check_relapses(later)
    assert reopened.stage == Case.Stage.REMEDIAL and "回潮" in reopened.reopen_reason and "书记空缺" in reopened.reopen_reason
    assert CaseEvent.objects.filter(case=case, label__contains="补课").exists()
    assert services.check_relapses(later) == []  # already reopened


def test_relapse_not_after_the_watch_period(case, people, staffed):
    finish_measures(case, people)
    round = poll(case, people, satisfied=3, dissatisfied=0)
    ballots.close_round(people.dept_a, round)
    services.accept(people.dept_a, case, today=TODAY)
    Post.objects.filter(org=staffed.village).update(ended_on=TODAY - datetime.timedelta(days=120))
    assert services.check_relapses(datetime.date(2028, 1, 1)) == []


def test_one_answer_per_person(case, people):
    finish_measures(case, people)
    voter = make_user("villager", Role.MEMBER, case.org)
    round, _ = services.start_poll(people.dept_a, case, members=[voter])
    ballots.cast(round, {"case": "satisfied"}, user=voter)
    with pytest.raises(ValidationError, match="只能投一次"):
        ballots.cast(round, {"case": "satisfied"}, user=voter)
