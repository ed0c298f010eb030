import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.models import AuditLog, Notification
from grassroots.core.roles import Role
from grassroots.members.models import Member, MemberEvent
from grassroots.orgs.models import Organization
from grassroots.relations import services
from grassroots.relations.choices import TransferKind, TransferState
from grassroots.relations.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_secretary(tree):
    return make_user("tn_branch", Role.SECRETARY, tree.b_branch)


def issue(people, member, to_org, **kw):
    return services.issue_transfer(people.secretary_a, member, reason="residence", to_org=to_org, **kw)


def test_issue_numbers_letters_per_issuer_and_year_and_keeps_the_member(tree, people, members, b_secretary):
    t1 = issue(people, members.a1, tree.b_branch)
    other = make_member(tree.branch_a, "钱七")
    t2 = issue(people, other, tree.b_branch)
    assert (t1.letter_number, t2.letter_number) == (f"〔{t1.issued_on.year}〕第1号", f"〔{t1.issued_on.year}〕第2号")
    t3 = services.issue_transfer(people.secretary_b, members.b1, reason="work_unit", to_org=tree.b_branch)
    assert t3.letter_number == t1.letter_number  # another issuer's own sequence
    assert Member.objects.get(pk=members.a1.pk).org_id == tree.branch_a.pk  # stays until accepted
    assert t1.state == TransferState.ISSUED and t1.valid_days == 10
    assert AuditLog.objects.filter(action="create", object_id=str(t1.pk), content_type__model="transfer").exists()
    assert Notification.objects.filter(recipient=b_secretary, kind="transfer").count() == 3


def test_issue_refusals_save_nothing(tree, people, members):
    cases = [
        ({"to_org": None}, "to_org"),
        ({"to_org": tree.b_branch, "to_external": "外省"}, "to_external"),
        ({"to_org": tree.b_branch, "valid_days": 91}, "valid_days"),
        ({"to_org": tree.b_branch, "valid_days": 0}, "valid_days"),
        ({"to_org": tree.branch_a}, "to_org"),
        ({"to_org": tree.b_branch, "issued_on": timezone.localdate() + datetime.timedelta(days=1)}, "issued_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            issue(people, members.a1, **kwargs)
        assert field in exc.value.message_dict, kwargs
    issue(people, members.a1, tree.b_branch)
    with pytest.raises(ValidationError) as exc:
        issue(people, members.a1, tree.branch_b)
    assert "已有待接收的介绍信" in exc.value.message_dict["member"][0]
    assert Transfer.objects.count() == 1


def test_only_the_sending_side_issues(tree, people, members):
    with pytest.raises(PermissionDenied):
        services.issue_transfer(people.secretary_b, members.a1, reason="residence", to_org=tree.b_branch)
    with pytest.raises(PermissionDenied):
        services.issue_transfer(people.supervisor, members.a1, reason="residence", to_org=tree.b_branch)


def test_accept_moves_the_member_with_history_receipt_and_notice(tree, people, members, b_secretary):
    t = issue(people, members.a1, tree.b_branch)
    with pytest.raises(PermissionDenied):
        services.accept_transfer(people.secretary_a, t)  # the sender cannot accept its own letter
    services.accept_transfer(b_secretary, t)
    t.refresh_from_db()
    member = Member.objects.get(pk=members.a1.pk)
    assert member.org_id == tree.b_branch.pk and member.org_path == tree.b_branch.path
    assert t.state == TransferState.ACCEPTED and t.receipt_on == timezone.localdate() and t.placed_in_id == tree.b_branch.pk
    event = MemberEvent.objects.get(member=member, kind="moved")
    assert (event.before, event.after, event.document) == (tree.branch_a.name, tree.b_branch.name, t.letter_number)
    assert AuditLog.objects.filter(action="update", content_type__model="member", object_id=str(member.pk)).exists()
    assert AuditLog.objects.filter(action="transfer", content_type__model="transfer", object_id=str(t.pk)).exists()
    assert Notification.objects.filter(recipient=people.secretary_a, kind="transfer", title__contains="已接收").exists()
    # both sides still see the transfer; the third branch does not
    for user, sees in ((people.secretary_a, True), (b_secretary, True), (people.secretary_b, False)):
        assert Transfer.objects.visible_to(user).filter(pk=t.pk).exists() is sees


def test_a_second_accept_gets_a_chinese_error(tree, people, members, b_secretary):
    t = issue(people, members.a1, tree.b_branch)
    services.accept_transfer(b_secretary, t)
    with pytest.raises(ValidationError) as exc:
        services.accept_transfer(b_secretary, t)
    assert exc.value.message_dict["__all__"] == ["该介绍信已接收，不能再接收"]
    assert MemberEvent.objects.filter(member=members.a1, kind="moved").count() == 1


def test_a_move_between_branches_of_the_same_name_is_still_in_the_history(tree, people, members, b_secretary):
    # Branches under different committees often share a name (第一党支部); the move must still be recorded.
    Organization.objects.filter(pk=tree.b_branch.pk).update(name=tree.branch_a.name)
    tree.b_branch.refresh_from_db()
    t = issue(people, members.a1, tree.b_branch)
    services.accept_transfer(b_secretary, t)
    event = MemberEvent.objects.get(member=members.a1, kind="moved")
    assert (event.before, event.after, event.document) == (tree.branch_a.name, tree.b_branch.name, t.letter_number)


def test_accept_into_an_organization_inside_the_receiving_one(tree, people, members):
    t = issue(people, members.a1, tree.village)
    with pytest.raises(ValidationError):
        services.accept_transfer(people.dept_a, t, place_in=tree.b_branch)
    services.accept_transfer(people.dept_a, t, place_in=tree.group_b)
    assert Member.objects.get(pk=members.a1.pk).org_id == tree.group_b.pk


def test_reject_requires_a_reason(tree, people, members, b_secretary):
    t = issue(people, members.a1, tree.b_branch)
    with pytest.raises(ValidationError) as exc:
        services.reject_transfer(b_secretary, t, reason="  ")
    assert exc.value.message_dict == {"reason": ["退回时请写明理由"]}
    services.reject_transfer(b_secretary, t, reason="该党员不在本社区居住")
    t.refresh_from_db()
    assert t.state == TransferState.REJECTED and t.reject_reason == "该党员不在本社区居住"
    assert Member.objects.get(pk=members.a1.pk).org_id == tree.branch_a.pk
    assert Notification.objects.filter(recipient=people.secretary_a, title__contains="退回").exists()
    with pytest.raises(ValidationError):
        services.accept_transfer(b_secretary, t)
    again = services.reissue_transfer(people.secretary_a, t)
    assert again.reissue_of_id == t.pk and again.letter_number != t.letter_number


def test_expired_letter_cannot_be_accepted_and_is_reissued_with_a_new_number(tree, people, members, b_secretary):
    today = timezone.localdate()
    t = issue(people, members.a1, tree.b_branch, issued_on=today - datetime.timedelta(days=10), valid_days=10)
    assert t.current_state(today) == TransferState.EXPIRED and t.state == TransferState.ISSUED  # computed on read
    with pytest.raises(ValidationError) as exc:
        services.accept_transfer(b_secretary, t)
    assert "过期" in exc.value.message_dict["__all__"][0]
    new = services.reissue_transfer(people.secretary_a, t, valid_days=15)
    t.refresh_from_db()
    assert t.state == TransferState.EXPIRED and new.reissue_of_id == t.pk and new.valid_days == 15
    assert new.letter_number != t.letter_number
    with pytest.raises(ValidationError):
        services.reissue_transfer(people.secretary_a, t)
    services.accept_transfer(b_secretary, new)
    assert Member.objects.get(pk=members.a1.pk).org_id == tree.b_branch.pk


def test_last_valid_day_still_accepts(tree, people, members, b_secretary):
    today = timezone.localdate()
    t = issue(people, members.a1, tree.b_branch, issued_on=today - datetime.timedelta(days=9), valid_days=10)
    assert t.valid_until == today
    services.accept_transfer(b_secretary, t)


def test_reminders_mark_expired_and_tell_both_sides_once_a_day(tree, people, members, b_secretary):
    today = timezone.localdate()
    expired = issue(people, members.a1, tree.b_branch, issued_on=today - datetime.timedelta(days=12), valid_days=10)
    soon = issue(people, make_member(tree.branch_a, "孙八"), tree.b_branch, issued_on=today - datetime.timedelta(days=8), valid_days=10)
    fresh = issue(people, make_member(tree.branch_a, "周九"), tree.b_branch)
    Notification.objects.all().delete()
    assert services.run_reminders(today) == {"expired": 1, "expiring": 1, "receipt_overdue": 0, "floating_six_months": 0}
    expired.refresh_from_db()
    assert expired.state == TransferState.EXPIRED
    for user in (people.secretary_a, b_secretary):
        titles = set(Notification.objects.filter(recipient=user, kind="transfer").values_list("title", flat=True))
        assert any("已过期" in t for t in titles) and any("即将过期" in t for t in titles)
    assert not Notification.objects.filter(title__contains=fresh.member.name).exists()
    assert services.run_reminders(today) == {"expired": 0, "expiring": 0, "receipt_overdue": 0, "floating_six_months": 0}  # once a day
    assert soon.pk
    told = set(Notification.objects.filter(title__startswith=f"介绍信即将过期：{soon.member.name}").values_list("recipient", flat=True))
    assert {people.secretary_a.pk, b_secretary.pk} <= told  # the expiring letter is the one about to expire, told to both sides


def test_probationary_member_keeps_the_probation_clock(tree, people, members, b_secretary):
    probationer = members.a2  # 李四, probationary since 2026-01-05, in branch A's group
    before = Member.objects.get(pk=probationer.pk)
    t = issue(people, probationer, tree.b_branch)
    services.accept_transfer(b_secretary, t)
    after = Member.objects.get(pk=probationer.pk)
    assert (after.status, after.joined_on, after.full_on) == (before.status, before.joined_on, before.full_on) == ("probationary", datetime.date(2026, 1, 5), None)
    assert after.org_id == tree.b_branch.pk
    assert not MemberEvent.objects.filter(member=after, kind="status").exists()


def test_cancel_by_the_sender_only(tree, people, members, b_secretary):
    t = issue(people, members.a1, tree.b_branch)
    with pytest.raises(PermissionDenied):
        services.cancel_transfer(b_secretary, t, reason="x")
    with pytest.raises(ValidationError):
        services.cancel_transfer(people.secretary_a, t, reason="")
    services.cancel_transfer(people.secretary_a, t, reason="党员暂不迁移")
    t.refresh_from_db()
    assert t.state == TransferState.CANCELLED
    with pytest.raises(ValidationError):
        services.accept_transfer(b_secretary, t)


def test_outgoing_external_waits_for_the_paper_receipt(tree, people, members):
    today = timezone.localdate()
    t = services.issue_transfer(people.secretary_a, members.a1, reason="work_unit", to_external="上海市某街道党工委",
                                issued_on=today - datetime.timedelta(days=60), valid_days=10)
    assert t.kind == TransferKind.OUTGOING_EXTERNAL
    assert t.current_state(today) == TransferState.ISSUED  # paper letters do not expire on the platform
    assert t.receipt_overdue(today)
    assert services.run_reminders(today)["receipt_overdue"] == 1
    with pytest.raises(ValidationError):
        services.record_receipt(people.secretary_a, t, received_on=today + datetime.timedelta(days=1))
    services.record_receipt(people.secretary_a, t, received_on=today)
    t.refresh_from_db()
    assert t.state == TransferState.COMPLETED and t.receipt_on == today and not t.receipt_overdue(today)
    member = Member.objects.get(pk=members.a1.pk)  # off this register, the record and its history kept
    assert member.state == "transferred_out" and not Member.objects.in_register().filter(pk=member.pk).exists()
    assert member.events.filter(kind="state", after="已转出", note__contains=t.letter_number).exists()


def test_incoming_from_outside_registers_the_member(tree, people, members, b_secretary):
    data = {"name": "吴十", "gender": "female", "ethnicity": "01", "birth_date": datetime.date(1990, 3, 1), "status": "full",
            "joined_on": datetime.date(2015, 7, 1), "full_on": datetime.date(2016, 7, 1), "state": "normal"}
    with pytest.raises(ValidationError) as exc:
        services.register_incoming(b_secretary, tree.b_branch, data, from_external="", letter_number="", issued_on=None, reason="x")
    assert set(exc.value.message_dict) == {"from_external", "letter_number", "issued_on", "reason"}
    assert not Member.objects.filter(name="吴十").exists()
    t = services.register_incoming(b_secretary, tree.b_branch, data, from_external="南京市某党支部", letter_number="宁组〔2026〕8号",
                                   issued_on=timezone.localdate(), reason="residence")
    assert t.kind == TransferKind.INCOMING_EXTERNAL and t.state == TransferState.ACCEPTED and t.member.org_id == tree.b_branch.pk
    assert Transfer.objects.visible_to(people.secretary_a).filter(pk=t.pk).exists() is False


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_accept_only_one_wins(tree, people, members):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    b_user = make_user("tn_branch2", Role.SECRETARY, tree.b_branch)
    t = issue(people, members.a1, tree.b_branch)
    barrier = threading.Barrier(2)
    results = []

    def accept():
        try:
            barrier.wait()
            services.accept_transfer(b_user, Transfer.objects.get(pk=t.pk))
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.message_dict["__all__"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "该介绍信已接收，不能再接收"]
    assert MemberEvent.objects.filter(member=members.a1, kind="moved").count() == 1
    assert AuditLog.objects.filter(action="transfer", object_id=str(t.pk)).count() == 1


def test_transferring_a_floating_member_ends_the_floating_record(tree, people, members, b_secretary):
    from grassroots.relations.models import FloatingRecord

    record = services.register_floating(people.secretary_a, members.a1, {"left_on": datetime.date(2025, 1, 1), "destination": "天宁区", "reason": "work"})
    t = issue(people, members.a1, tree.b_branch)
    services.accept_transfer(b_secretary, t)
    record.refresh_from_db()
    assert record.ended_by_transfer_id == t.pk and record.returned_on == timezone.localdate()
    member = Member.objects.get(pk=members.a1.pk)
    assert (member.state, member.org_id) == ("normal", tree.b_branch.pk)
    assert not FloatingRecord.objects.filter(returned_on__isnull=True).exists()


def test_reminders_command(tree, people, members, b_secretary):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    today = timezone.localdate()
    issue(people, members.a1, tree.b_branch, issued_on=today - datetime.timedelta(days=11), valid_days=10)
    out = StringIO()
    call_command("relations_reminders", stdout=out)
    assert "标为过期 1 封" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("relations_reminders", "--date", "2026-13-01")


def test_a_group_members_letter_is_issued_by_the_branch(tree, people, members):
    t = issue(people, members.a2, tree.b_branch)  # 李四 is in branch A's Party group
    assert t.from_org_id == tree.branch_a.pk
    with pytest.raises(ValidationError) as exc:
        issue(people, make_member(tree.group_a, "郑一"), tree.branch_a)
    assert exc.value.message_dict["to_org"] == ["接收党组织不能是党员现在所在的党组织"]


def test_accept_refused_when_the_member_left_the_sending_branch_meanwhile(tree, people, members, b_secretary):
    from grassroots.members import services as member_services

    t = issue(people, members.a1, tree.b_branch)
    member_services.update_member(people.dept_a, members.a1, {"org": tree.branch_b})
    with pytest.raises(ValidationError) as exc:
        services.accept_transfer(b_secretary, t)
    assert "已不在转出党组织" in exc.value.message_dict["__all__"][0]


def test_incoming_from_outside_owes_the_paper_receipt_within_a_month(tree, people, members, b_secretary):
    from grassroots.relations import rules

    data = {"name": "吴十", "gender": "female", "ethnicity": "01", "birth_date": datetime.date(1990, 3, 1), "status": "full",
            "joined_on": datetime.date(2015, 7, 1), "full_on": datetime.date(2016, 7, 1), "state": "normal"}
    t = services.register_incoming(b_secretary, tree.b_branch, data, from_external="南京市某党支部", letter_number="宁组〔2026〕8号",
                                   issued_on=timezone.localdate(), reason="residence")
    today = timezone.localdate()
    assert t.receipt_on is None and t.receipt_due == rules.receipt_due(today) and t.awaits_receipt()
    assert not t.receipt_overdue(rules.receipt_due(today)) and t.receipt_overdue(rules.receipt_due(today) + datetime.timedelta(days=1))
    assert services.run_reminders(rules.receipt_due(today) + datetime.timedelta(days=1))["receipt_overdue"] == 1
    with pytest.raises(PermissionDenied):
        services.record_receipt(people.secretary_a, t, received_on=today)
    services.record_receipt(b_secretary, t, received_on=today)
    t.refresh_from_db()
    assert t.receipt_on == today and t.state == TransferState.ACCEPTED and not t.awaits_receipt()
    with pytest.raises(ValidationError):
        services.record_receipt(b_secretary, t, received_on=today)


@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_of_one_branch_get_distinct_numbers(tree, people, members):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    people_ = [make_member(tree.branch_a, f"并发{n}") for n in range(4)]
    barrier = threading.Barrier(len(people_))
    errors = []

    def issue_one(member):
        try:
            barrier.wait()
            issue(people, member, tree.b_branch)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_one, args=(m,)) for m in people_]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(Transfer.objects.values_list("letter_seq", flat=True)) == [1, 2, 3, 4]


def test_outgoing_external_reads_as_waiting_for_the_receipt(tree, people, members):
    t = services.issue_transfer(people.secretary_a, members.a1, reason="work_unit", to_external="上海市某街道党工委")
    assert t.current_state_label(timezone.localdate()) == "待回执"
