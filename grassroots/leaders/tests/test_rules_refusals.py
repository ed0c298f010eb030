"""Every rule and refusal of the pool, training, reviews, audits, vetting settings and the career lists."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from grassroots.conftest import make_member
from grassroots.core.models import AuditLog
from grassroots.leaders import queries, rules, services
from grassroots.leaders.models import Reserve, ReserveEvent
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db

PERSON = {"name": "王小明", "gender": "male", "birth_date": datetime.date(1992, 5, 1), "source": "returnee",
          "entered_on": datetime.date(2026, 3, 1)}


def test_reserve_entry_refusals_and_masked_personal_data(tree, people):
    actor = people.dept_a
    with pytest.raises(ValidationError) as exc:
        services.add_reserve(actor, tree.village, {"name": " ", "gender": "x", "source": "nowhere"})
    assert set(exc.value.message_dict) == {"name", "gender", "source", "birth_date"}
    with pytest.raises(ValidationError, match="校验码|身份"):
        services.add_reserve(actor, tree.village, {**PERSON, "id_number": "320400199205010000"})
    reserve = services.add_reserve(actor, tree.village, {**PERSON, "id_number": "11010519491231002X", "phone": "13812345678",
                                                         "reason": "返乡创办合作社"})
    assert reserve.id_number_masked.startswith("1101") and "19491231" not in reserve.id_number_masked
    assert ReserveEvent.objects.get(reserve=reserve).note == "返乡创办合作社"
    with pytest.raises(ValidationError, match="已在后备人才库中"):
        services.add_reserve(actor, tree.village, {**PERSON, "id_number": "11010519491231002x"})
    assert services.reveal_reserve(actor, reserve, "phone") == "13812345678"
    assert AuditLog.objects.filter(action=AuditLog.Action.REVEAL).count() == 1
    assert Reserve.objects.count() == 1


def test_reserve_leave_and_records(tree, people):
    actor = people.dept_a
    reserve = services.add_reserve(actor, tree.village, PERSON)
    with pytest.raises(ValidationError, match="请填写出库原因"):
        services.leave_reserve(actor, reserve, left_on=datetime.date(2026, 4, 1), reason=" ")
    with pytest.raises(ValidationError, match="出库日期应在入库日期和今天之间"):
        services.leave_reserve(actor, reserve, left_on=datetime.date(2026, 2, 28), reason="外出务工")
    with pytest.raises(ValidationError, match="考察评价请选择评价等次"):
        services.record_reserve_event(actor, reserve, kind="assess", happened_on=datetime.date(2026, 4, 1), note="年度考察")
    with pytest.raises(ValidationError, match="请选择考察评价或培养记录"):
        services.record_reserve_event(actor, reserve, kind="leave", happened_on=datetime.date(2026, 4, 1), note="x")
    services.record_reserve_event(actor, reserve, kind="assess", happened_on=datetime.date(2026, 4, 1), note="年度考察", grade="excellent")
    services.leave_reserve(actor, reserve, left_on=datetime.date(2026, 5, 1), reason="当选村委会委员")
    with pytest.raises(ValidationError, match="此人已出库"):
        services.leave_reserve(actor, reserve, left_on=datetime.date(2026, 5, 2), reason="再次")
    assert list(reserve.events.values_list("kind", flat=True)) == ["enter", "assess", "leave"]
    # the pool now has nobody: the village is short; one reserve per village is enough when the setting says so
    q = services.scoping.path_q("path", [tree.district_a.path])
    assert [o.pk for o in queries.reserve_shortfall(q)] == [tree.village.pk]


def test_reserve_ratio_is_a_setting(tree, people, settings):
    services.add_reserve(people.dept_a, tree.village, PERSON)
    q = services.scoping.path_q("path", [tree.district_a.path])
    assert queries.reserve_shortfall(q).exists()
    settings.GRASSROOTS_LEADERS_RESERVES_PER_VILLAGE = 1
    assert not queries.reserve_shortfall(q).exists()


def test_training_refusals_and_minimum_setting(tree, people, members, settings):
    actor = people.dept_a
    for hours in (0, 201):
        with pytest.raises(ValidationError, match="学时应大于 0 且不超过 200"):
            services.create_course(actor, tree.town, title="轮训", held_on=datetime.date(2026, 5, 1), hours=hours)
    course = services.create_course(actor, tree.town, title="村书记轮训", held_on=datetime.date(2026, 5, 1), hours=32)
    reserve = services.add_reserve(actor, tree.village, PERSON)
    with pytest.raises(ValidationError, match="请选择一名党员或一名后备人才"):
        services.add_attendance(actor, course)
    with pytest.raises(ValidationError, match="请选择一名党员或一名后备人才"):
        services.add_attendance(actor, course, member=members.a1, reserve=reserve)
    services.add_attendance(actor, course, reserve=reserve)
    with pytest.raises(ValidationError, match="已登记参训"):
        services.add_attendance(actor, course, reserve=reserve)
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        services.add_attendance(actor, course, member=members.other)  # 天宁's member
    assert queries.training_below(tree.district_a.path, 2026) == []  # 32 hours: exactly the minimum
    settings.GRASSROOTS_LEADERS_TRAINING_HOURS_MIN = 40
    assert [r["name"] for r in queries.training_below(tree.district_a.path, 2026)] == ["王小明"]
    assert queries.training_below(tree.district_a.path, 2025)[0]["hours"] == 0  # hours count per year


def test_review_refusals(tree, people):
    actor = people.dept_a
    year = services.timezone.localdate().year
    with pytest.raises(ValidationError, match="不能登记未来年度的评议"):
        services.record_review(actor, tree.village, year=year + 1, name="钱七", post_label="主任", report="述职", grade="competent")
    with pytest.raises(ValidationError, match="请选择评议结果"):
        services.record_review(actor, tree.village, year=year, name="钱七", post_label="主任", report="述职", grade="good")
    services.record_review(actor, tree.village, year=year, name="钱七", post_label="主任", report="述职", grade="competent")
    with pytest.raises(ValidationError, match="已登记"):
        services.record_review(actor, tree.village, year=year, name="钱七", post_label="主任", report="述职", grade="excellent")
    with pytest.raises(ValidationError, match="不能为空或重复"):
        services.open_review_round(actor, tree.village, year=year - 1, cadres=[{"name": "甲", "post_label": "委员", "report": "x"}] * 2)
    with pytest.raises(ValidationError, match="已登记"):
        services.open_review_round(actor, tree.village, year=year, cadres=[{"name": "钱七", "post_label": "主任", "report": "x"}])


def test_exit_audit_refusals_and_publication(tree, people):
    from grassroots.disclosure.models import Disclosure

    actor = people.dept_a
    election = services.create_election(actor, tree.village)
    with pytest.raises(ValidationError, match="不属于该村"):
        services.create_audit(actor, tree.town, kind="exit", person_name="甲", post_label="书记", scope="s", auditor="a", election=election)
    record = services.create_audit(actor, tree.village, kind="exit", person_name="老书记", post_label="书记", scope="任期经济责任",
                                   auditor="镇审计办", election=election)
    with pytest.raises(ValidationError, match="审计尚未完成，不能公开"):
        services.publish_audit(actor, record)
    with pytest.raises(ValidationError, match="完成日期不能晚于今天"):
        services.finish_audit(actor, record, findings="x", follow_up="", finished_on=services.timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="请填写审计发现"):
        services.finish_audit(actor, record, findings=" ", follow_up="", finished_on=datetime.date(2026, 11, 1))
    services.finish_audit(actor, record, findings="票据不全两笔", follow_up="已补齐", finished_on=datetime.date(2026, 11, 1))
    services.publish_audit(actor, record)
    record.refresh_from_db()
    disclosure = Disclosure.objects.get(pk=record.disclosure_id)
    assert disclosure.org_id == tree.village.pk and "票据不全两笔" in disclosure.body
    with pytest.raises(ValidationError, match="已经公开"):
        services.publish_audit(actor, record)
    with pytest.raises(ValidationError, match="已公开，不能修改"):
        services.finish_audit(actor, record, findings="改", follow_up="", finished_on=datetime.date(2026, 11, 1))


def test_vetting_bodies_and_negative_list_are_settings(tree, people, village_people, settings):
    settings.GRASSROOTS_LEADERS_VETTING_BODIES = [("discipline", "纪检监察")]
    settings.GRASSROOTS_LEADERS_NEGATIVE_LIST = [("gambling", "参与赌博")]
    actor = people.dept_a
    plan = services.create_plan(actor, tree.district_a, title="方案", year=2026, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    election = services.create_election(actor, tree.village, plan=plan, party_seats=3, villagers_seats=3)
    a, b = village_people[:2]
    ca = services.add_candidate(actor, election, body="party", seat="secretary", name=a.name, gender=a.gender, birth_date=a.birth_date, member=a)
    cb = services.add_candidate(actor, election, body="villagers", seat="director", name=b.name, gender=b.gender, birth_date=b.birth_date)
    services.advance(actor, election)
    with pytest.raises(ValidationError, match="不是联审部门"):
        services.sign_off(actor, ca, body="police", result="pass")
    with pytest.raises(ValidationError, match="不是负面清单中的情形"):
        services.sign_off(actor, cb, body="discipline", result="fail", hits=["criminal"])
    with pytest.raises(ValidationError, match="请选择负面清单情形或写明意见"):
        services.sign_off(actor, cb, body="discipline", result="fail")
    services.sign_off(actor, ca, body="discipline", result="pass")
    services.sign_off(actor, cb, body="discipline", result="fail", hits=["gambling"])
    services.advance(actor, election)  # one body configured: one sign-off each completes the vetting
    with pytest.raises(ValidationError, match="参与赌博"):
        services.nominate(actor, cb)


def test_career_lists_from_terms_and_reviews(tree, people, settings):
    """Township posts: secretary for 3 years, 优秀 both of the last two years, at most 45; recruitment: at least 称职."""
    actor = people.dept_a
    today = datetime.date(2026, 12, 4)
    young = make_member(tree.branch_a, "优秀书记", birth_date=datetime.date(1985, 1, 1))
    org_services.appoint_post(actor, tree.village, title="secretary", holder=young, started_on=datetime.date(2023, 12, 4))
    for year in (2024, 2025):
        services.record_review(actor, tree.village, year=year, name=young.name, post_label="书记", report="述职", grade="excellent",
                               member=young)
    township, recruitment, years = queries.career_lists(tree.district_a.path, today)
    assert years == (2024, 2025) and [r["post"].holder.name for r in township] == ["优秀书记"] and len(recruitment) == 1
    assert queries.career_lists(tree.district_a.path, datetime.date(2026, 12, 3))[0] == []  # one day short of 3 years
    settings.GRASSROOTS_LEADERS_CAREER_MAX_AGE = 40  # 41 on the day
    township, recruitment, _ = queries.career_lists(tree.district_a.path, today)
    assert township == [] and len(recruitment) == 1
    settings.GRASSROOTS_LEADERS_CAREER_YEARS = 4
    assert queries.career_lists(tree.district_a.path, today)[1] == []


def test_incompetent_twice_rule_boundaries():
    assert rules.consecutive_incompetent({2024: "incompetent", 2025: "incompetent", 2026: "competent"})
    assert not rules.consecutive_incompetent({2024: "incompetent", 2025: "basic"})
    assert not rules.consecutive_incompetent({2025: "incompetent"})
