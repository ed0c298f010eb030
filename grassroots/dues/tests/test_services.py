import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.models import AuditLog, Notification
from grassroots.dues import rules, services
from grassroots.dues.arrears import arrears_list, members_unpaid_for
from grassroots.dues.models import DuesDeclaration, DuesPayment, DuesRelief

from .factories import declared, months_ago, record, this_month

pytestmark = pytest.mark.django_db
D = Decimal


def test_declare_computes_the_amount_and_audits(tree, people, members):
    year = timezone.localdate().year
    d = services.declare(people.secretary_a, members.a1, {"year": year, "category": "employed", "base": "5000.01"})
    this_month = timezone.localdate().replace(day=1)
    # a member's first declaration during the year starts this month (earlier months were collected off the platform)
    assert d.amount == D("75.00") and d.effective_from == this_month and d.org == tree.branch_a
    assert AuditLog.objects.filter(action="create", object_id=str(d.pk), note="党费基数申报").exists()
    # the next year's declaration starts in January
    assert services.declare(people.secretary_a, members.a1, {"year": year + 1, "category": "employed", "base": "5000"}).effective_from \
        == datetime.date(year + 1, 1, 1)
    # a group member's dues go to the group's branch
    d2 = services.declare(people.secretary_a, members.a2, {"year": year, "category": "student"})
    assert d2.org == tree.branch_a and d2.amount == D("0.20") and d2.effective_from == this_month


def test_declare_refuses_bad_input_and_saves_nothing(people, members):
    with pytest.raises(ValidationError) as exc:
        services.declare(people.secretary_a, members.a1, {"year": 2026, "category": "employed", "base": "abc"})
    assert "base" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.declare(people.secretary_a, members.a1, {"year": 2026, "category": "farmer", "fixed_amount": "1.50"})
    assert "fixed_amount" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.declare(people.secretary_a, members.a2, {"year": 2026, "category": "student", "effective_from": "2025-12"})
    assert "effective_from" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.declare(people.secretary_a, members.a1, {"year": 2026, "category": "employed"})
    assert "base" in exc.value.message_dict
    assert not DuesDeclaration.objects.exists()


def test_declare_out_of_scope_is_refused(people, members):
    with pytest.raises(PermissionDenied):
        services.declare(people.secretary_b, members.a1, {"year": 2026, "category": "student"})
    with pytest.raises(PermissionDenied):
        services.declare(people.supervisor, members.a1, {"year": 2026, "category": "student"})


def test_mid_year_declaration_changes_open_months(tree, people, members):
    declared(members.a1, tree.branch_a, amount="30.00")
    month = this_month()
    services.open_month(tree.branch_a, month)
    services.declare(people.secretary_a, members.a1, {"year": month.year, "category": "employed", "base": "10000",
                                                     "effective_from": month.strftime("%Y-%m")})
    assert DuesPayment.objects.get(member=members.a1, month=month).amount_due == D("150.00")


def test_collect_records_a_month_all_or_nothing(tree, people, members):
    declared(members.a1, tree.branch_a, amount="30.00")
    declared(members.a2, tree.branch_a, amount="0.20", since=datetime.date(2026, 1, 1), category="student", base=None)
    month = this_month()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.collect(people.secretary_a, tree.branch_a, month, {
            members.a1.pk: {"amount_paid": "30", "paid_on": today.isoformat()},
            members.a2.pk: {"amount_paid": "0.1", "paid_on": today.isoformat()},  # less than due
        })
    assert f"amount_paid-{members.a2.pk}" in exc.value.message_dict
    assert not DuesPayment.objects.filter(paid_on__isnull=False).exists()  # nothing half-saved
    changed = services.collect(people.secretary_a, tree.branch_a, month, {
        members.a1.pk: {"amount_paid": "35", "paid_on": today.isoformat(), "method": "cash", "receipt_no": "A001"},  # voluntary extra
        members.a2.pk: {"amount_paid": "0.20", "by_proxy": True},
    })
    assert len(changed) == 2
    a1 = DuesPayment.objects.get(member=members.a1, month=month)
    assert a1.amount_paid == D("35.00") and a1.is_paid and a1.receipt_no == "A001" and not a1.back_pay
    assert DuesPayment.objects.get(member=members.a2, month=month).by_proxy
    assert AuditLog.objects.filter(action="update", note__contains="党费").count() == 2
    # rerunning the same entries changes nothing
    assert services.collect(people.secretary_a, tree.branch_a, month, {members.a1.pk: {"amount_paid": "35", "paid_on": today.isoformat(), "method": "cash", "receipt_no": "A001"}}) == []


def test_collect_refuses_back_pay_beyond_six_months_and_strangers(tree, people, members):
    declared(members.a1, tree.branch_a)
    with pytest.raises(ValidationError) as exc:
        services.collect(people.secretary_a, tree.branch_a, months_ago(8), {members.a1.pk: {"amount_paid": "30"}})
    assert "补交" in str(exc.value.message_dict)
    services.collect(people.secretary_a, tree.branch_a, months_ago(6), {members.a1.pk: {"amount_paid": "30"}})
    assert DuesPayment.objects.get(member=members.a1, month=months_ago(6)).back_pay
    with pytest.raises(ValidationError):
        services.collect(people.secretary_a, tree.branch_a, this_month(), {members.b1.pk: {"amount_paid": "30"}})
    with pytest.raises(PermissionDenied):
        services.collect(people.secretary_b, tree.branch_a, this_month(), {members.a1.pk: {"amount_paid": "30"}})
    with pytest.raises(ValidationError):
        services.collect(people.dept_a, tree.village, this_month(), {})


def test_relief_needs_the_next_level(tree, people, members):
    village_sj = make_user("village_sj", "secretary", tree.village)
    declared(members.a1, tree.branch_a)
    month = months_ago(1)
    record(members.a1, tree.branch_a, month)
    relief = services.propose_relief(people.secretary_a, members.a1, {
        "kind": "exempt", "from_month": month.strftime("%Y-%m"), "to_month": this_month().strftime("%Y-%m"), "reason": "因病生活困难",
    })
    assert relief.state == DuesRelief.State.PENDING
    assert Notification.objects.filter(recipient=village_sj, kind="dues").exists()
    with pytest.raises(PermissionDenied):
        services.decide_relief(people.secretary_a, relief, approve=True)  # the branch cannot approve its own decision
    services.decide_relief(village_sj, relief, approve=True, note="同意")
    relief.refresh_from_db()
    assert relief.state == DuesRelief.State.APPROVED and relief.approved_by == village_sj
    assert DuesPayment.objects.get(member=members.a1, month=month).exempt
    assert AuditLog.objects.filter(action="approve", object_id=str(relief.pk)).exists()
    with pytest.raises(ValidationError):
        services.decide_relief(village_sj, relief, approve=False, note="重复")


def test_relief_bad_input(people, members):
    with pytest.raises(ValidationError) as exc:
        services.propose_relief(people.secretary_a, members.a1, {"kind": "reduce", "from_month": "2026-05", "to_month": "2026-01", "reason": ""})
    assert {"to_month", "amount", "reason"} <= set(exc.value.message_dict)
    assert not DuesRelief.objects.exists()


def _unpaid(member, branch, months, first_back=1):
    for n in range(first_back, first_back + months):
        record(member, branch, months_ago(n))


def test_six_consecutive_months_unpaid(tree, members):
    today = timezone.localdate()
    declared(members.a1, tree.branch_a)
    declared(members.b1, tree.branch_b)
    _unpaid(members.a1, tree.branch_a, 6)
    _unpaid(members.b1, tree.branch_b, 5)
    record(members.b1, tree.branch_b, months_ago(6), paid="30", paid_on=months_ago(6))
    assert list(members_unpaid_for(6, [tree.village.path], today)) == [members.a1]
    assert set(members_unpaid_for(5, [tree.village.path], today)) == {members.a1, members.b1}
    assert list(members_unpaid_for(6, [tree.branch_b.path], today)) == []
    rows = arrears_list(tree.village.path, today)
    by = {r["member"]: r for r in rows}
    assert by[members.a1]["six_months"] and by[members.a1]["months"] == 6 and by[members.a1]["amount"] == D("180.00")
    assert not by[members.b1]["six_months"]


def test_months_without_records_still_count_and_payment_breaks_the_run(tree, members):
    today = timezone.localdate()
    declared(members.a1, tree.branch_a)  # no month records at all: six months owed and unpaid
    assert list(members_unpaid_for(6, [tree.branch_a.path], today)) == [members.a1]
    record(members.a1, tree.branch_a, months_ago(3), paid="30", paid_on=months_ago(3))
    assert list(members_unpaid_for(6, [tree.branch_a.path], today)) == []
    assert list(members_unpaid_for(2, [tree.branch_a.path], today)) == [members.a1]


def test_approved_exemption_is_a_proper_reason(tree, people, members):
    today = timezone.localdate()
    declared(members.a1, tree.branch_a)
    _unpaid(members.a1, tree.branch_a, 6)
    DuesRelief.objects.create(member=members.a1, org=tree.branch_a, org_path=tree.branch_a.path, kind="exempt",
                              from_month=months_ago(2), to_month=months_ago(2), reason="困难", state="approved")
    assert not members_unpaid_for(6, [tree.branch_a.path], today).exists()


def test_new_members_and_undeclared_members_are_not_flagged(tree, members):
    today = timezone.localdate()
    recent = make_member(tree.branch_a, "新党员", joined_on=rules.month_end(months_ago(3)))
    declared(recent, tree.branch_a, since=months_ago(3))
    assert not members_unpaid_for(6, [tree.branch_a.path], today).exists()  # joined 3 months ago; a1 has no declaration


def test_quarterly_payment_covers_three_months(tree, people, members):
    declared(members.a1, tree.branch_a)
    month = this_month()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:  # 89.99 is less than three months' 90.00
        services.collect(people.secretary_a, tree.branch_a, month, {members.a1.pk: {"amount_paid": "89.99", "months": 3}})
    assert "3 个月应交合计 90.00" in str(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.collect(people.secretary_a, tree.branch_a, month, {members.a1.pk: {"amount_paid": "120", "months": 4}})
    assert f"months-{members.a1.pk}" in exc.value.message_dict
    assert not DuesPayment.objects.filter(paid_on__isnull=False).exists()
    changed = services.collect(people.secretary_a, tree.branch_a, month, {members.a1.pk: {"amount_paid": "100", "months": "3"}})
    assert [r.month for r in changed] == [month, rules.add_months(month, 1), rules.add_months(month, 2)]
    assert [r.amount_paid for r in changed] == [D("30.00"), D("30.00"), D("40.00")]  # the extra 10 on the last month
    assert all(r.paid_on == today and r.is_paid for r in changed)
    # the next month cannot be paid a second time as part of another span
    with pytest.raises(ValidationError) as exc:
        services.collect(people.secretary_a, tree.branch_a, month, {members.a1.pk: {"amount_paid": "60", "months": 2}})
    assert "已交纳" in str(exc.value.message_dict)
    # more than a quarter ahead is refused
    with pytest.raises(ValidationError):
        services.collect(people.secretary_a, tree.branch_a, rules.add_months(month, 1), {members.a1.pk: {"amount_paid": "90", "months": 3}})


def test_six_month_list_includes_flagged_members_without_records(tree, members):
    declared(members.a1, tree.branch_a)
    assert arrears_list(tree.branch_a.path, timezone.localdate()) == []
    rows = arrears_list(tree.branch_a.path, timezone.localdate(), six_months=True)
    assert [(r["member"], r["months"], r["six_months"]) for r in rows] == [(members.a1, None, True)]


def test_open_month_command_is_idempotent(tree, members):
    import io

    from django.core.management import call_command

    declared(members.a1, tree.branch_a)
    declared(members.b1, tree.branch_b)
    out = io.StringIO()
    call_command("dues_open_month", month=this_month().strftime("%Y-%m"), stdout=out)
    assert "新建党费收缴记录 2 条" in out.getvalue()
    call_command("dues_open_month", stdout=out)
    assert DuesPayment.objects.count() == 2


def test_carry_over_redeclares_from_last_year(tree, people, members):
    year = timezone.localdate().year
    declared(members.a1, tree.branch_a, amount="75.00", since=datetime.date(year - 1, 1, 1), base="5000.01")
    declared(members.a2, tree.branch_a, amount="0.20", since=datetime.date(year, 1, 1), category="student", base=None)
    created = services.carry_over(people.secretary_a, tree.branch_a, year)
    assert [(d.member, d.amount, d.effective_from) for d in created] == [(members.a1, D("75.00"), datetime.date(year, 1, 1))]
    assert services.carry_over(people.secretary_a, tree.branch_a, year) == []  # already declared: nothing twice
    assert AuditLog.objects.filter(note__startswith=f"沿用上年基数核定{year}年党费").count() == 2
    with pytest.raises(PermissionDenied):
        services.carry_over(people.secretary_b, tree.branch_a, year)
