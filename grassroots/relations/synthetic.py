"""Demo data for relations (called by grassroots.dataset.generator.load for the demo scale): a few transfers between
the demo branches and 天宁 (one waiting for branch A, one accepted, one expired, one to and one from outside the
platform), floating members and lost-contact cases, all made through the services so they carry history and audit."""

import datetime
import random

from grassroots.accounts.models import RoleAssignment
from grassroots.members.models import Member
from grassroots.orgs.choices import BRANCH_KINDS

from . import services
from .models import FloatingRecord, LostContactCase, SearchAttempt, Transfer

DESTINATIONS = ["上海市浦东新区张江镇", "苏州市工业园区", "南京市江宁区", "无锡市新吴区", "深圳市南山区", "杭州市余杭区"]
ACTIVITY_ORGS = ["苏州工业园区流动党员党支部", "上海市浦东新区张江镇党群服务中心党支部", "南京市江宁区流动党员党总支"]


def _users():
    roles = RoleAssignment.objects.filter(
        user__username__in=["branch_a_sj", "branch_b_sj", "tianning_zzb", "wujin_zzb"], revoked_at__isnull=True
    ).select_related("user", "org")
    return {r.user.username: r for r in roles}


def _people(org, n, rng):
    pool = list(Member.objects.filter(org_path__startswith=org.path, state="normal", user__isnull=True).order_by("id")[:40])
    rng.shuffle(pool)
    return pool[:n]


def generate_demo(today, seed, log):
    """Add this app's demo records; return nothing. `log(message)` prints progress."""
    rng = random.Random(seed + 31)
    roles = _users()
    if not {"branch_a_sj", "branch_b_sj", "tianning_zzb"} <= roles.keys():
        log("组织关系：找不到演示账号，跳过")
        return
    a, b, tn = roles["branch_a_sj"], roles["branch_b_sj"], roles["tianning_zzb"]
    from grassroots.orgs.models import Organization

    tn_branch = (
        Organization.objects.within(tn.org).filter(kind__in=BRANCH_KINDS, is_active=True).order_by("path")
        .filter(pk__in=Member.objects.filter(org_path__startswith=tn.org.path).values("org_id")).first()
    )
    if tn_branch is None:
        log("组织关系：天宁区没有党支部，跳过")
        return
    day = datetime.timedelta
    a_people = _people(a.org, 6, rng)
    b_people = _people(b.org, 4, rng)
    tn_people = _people(tn_branch, 1, rng)
    made = []
    # Waiting for branch A: from 天宁, issued three days ago.
    if tn_people:
        made.append(services.issue_transfer(tn.user, tn_people[0], reason="residence", to_org=a.org, issued_on=today - day(3), valid_days=10))
    # Accepted by 天宁: from branch B.
    accepted = services.issue_transfer(b.user, b_people[0], reason="work_unit", to_org=tn_branch, issued_on=today - day(20), valid_days=10)
    services.accept_transfer(tn.user, accepted, accepted_on=today - day(15))
    made.append(accepted)
    # Expired without acceptance: from branch A to 天宁.
    made.append(services.issue_transfer(a.user, a_people[0], reason="residence", to_org=tn_branch, issued_on=today - day(25), valid_days=10))
    # Expiring in two days: from branch A to branch B.
    made.append(services.issue_transfer(a.user, a_people[1], reason="residence", to_org=b.org, issued_on=today - day(7), valid_days=10))
    # To outside the platform, the paper receipt not back yet (overdue).
    made.append(services.issue_transfer(a.user, a_people[2], reason="work_unit", to_external="上海市浦东新区张江镇党委",
                                        issued_on=today - day(60), valid_days=15))
    # From outside the platform into branch B.
    incoming = services.register_incoming(
        b.user, b.org, {"name": "唐晓峰", "gender": "male", "ethnicity": "01", "birth_date": datetime.date(1991, 4, 12), "status": "full",
                        "joined_on": datetime.date(2014, 6, 20), "full_on": datetime.date(2015, 6, 20), "state": "normal"},
        from_external="南京市鼓楼区某社区党委", letter_number=f"宁鼓组〔{today.year}〕15号", issued_on=today - day(40), reason="residence",
    )
    made.append(incoming)
    services.run_reminders(today)

    floating = []
    for n, (member, months) in enumerate(((a_people[3], 9), (a_people[4], 2), (b_people[1], 7), (b_people[2], 14))):
        left = today - day(30 * months)
        record = services.register_floating(
            a.user if member.org_path.startswith(a.org.path) else b.user, member,
            {"left_on": left, "destination": DESTINATIONS[n % len(DESTINATIONS)], "reason": "work",
             "contact_phone": f"139{rng.randint(10_000_000, 99_999_999)}", "certificate_number": f"LD{today.year}{n + 1:03d}" if n != 1 else "",
             "activity_org_name": ACTIVITY_ORGS[n % len(ACTIVITY_ORGS)] if n != 1 else ""},
        )
        floating.append(record)
    services.record_return(b.user, floating[3], returned_on=today - day(20))

    cases = [services.open_lost_contact(a.user, a_people[5], last_contact_on=today - day(250), opened_on=today - day(160), note="外出务工后失去联系")]
    for tried, method, result in ((140, "phone", "原手机号已停机"), (100, "relatives", "家属称多年未联系"), (60, "visit", "原住址已出租他人")):
        services.log_search(a.user, cases[0], tried_on=today - day(tried), method=method, searcher="支部组织委员", result=result)
    cases.append(services.open_lost_contact(b.user, b_people[3], last_contact_on=today - day(70), opened_on=today - day(10)))

    Transfer.objects.filter(pk__in=[t.pk for t in made]).update(is_synthetic=True)
    Member.objects.filter(pk=incoming.member_id).update(is_synthetic=True)
    FloatingRecord.objects.filter(pk__in=[r.pk for r in floating]).update(is_synthetic=True)
    LostContactCase.objects.filter(pk__in=[c.pk for c in cases]).update(is_synthetic=True)
    log(f"已写入组织关系转接 {len(made)} 件、流动党员 {len(floating)} 名、失联党员 {len(cases)} 名（寻找记录 {SearchAttempt.objects.count()} 条）")
