"""Demo data for development (called by grassroots.dataset.generator.load for the demo scale), and `advance()`, which
takes an applicant through the steps on a valid timetable (used by the demo and the tests)."""

import datetime
import random

from . import rules, services
from .models import Applicant

# Days after the application on which each step is recorded: a timetable that keeps every time rule (talk within a
# month, a year and more as activist, the assembly within a month of the pre-review, approval within three months,
# the oath within a month, the full-membership vote after one year of probation).
SCHEDULE = {
    "talk": 20, "activist": 60, "activist_filing": 70, "contacts": 75, "review": 240, "notice": 430, "candidate": 440,
    "candidate_filing": 445, "sponsors": 450, "political_review": 470, "training": 480, "committee_review": 490,
    "prereview": 500, "application_form": 505, "admission_vote": 510, "committee_talk": 530, "approval": 560,
    "placement": 565, "approval_filing": 570, "oath": 575, "probation_review": 700, "full_application": 870,
    "full_vote": 880, "full_approval": 900, "archive": 910,
}
NAMES = "陈晓东 刘佳怡 王子轩 周雨萱 吴浩然 孙梦洁 钱思远 郑欣怡 冯俊杰 朱雅琪 何志强 许晓燕 沈一鸣 韩雪 杨帆 蒋丽娜 曹宇航 彭静 吕博文 苏婉清 马骏 丁可欣".split()


def step_data(applicant, code, day):
    """Valid extra inputs of a step for the demo and the tests: the first full members of the branch as contacts
    and sponsors, a training of three days, everyone on the roll present and voting for."""
    if code not in ("contacts", "sponsors", "admission_vote", "full_vote"):
        return {"training_days": 3, "training_hours": 24} if code == "training" else {}
    roll = list(services.voting_roll(services.current_org(applicant), day).values_list("id", flat=True))
    if code == "contacts":
        return {"contacts": roll[:1]}
    if code == "sponsors":
        return {"sponsors": roll[:2]}
    return {"present_ids": roll, "votes_for": len(roll), "against": 0, "abstain": 0}  # admission_vote, full_vote


def advance(applicant, until, *, branch_actor, higher_actor, today=None, schedule=SCHEDULE):
    """Record every step of the applicant's rule set after the last one done, up to and including `until`."""
    rule_set = rules.RULE_SETS[applicant.rule_set]
    done = {r.code for r in applicant.steps.all()}
    for step in rule_set.steps:
        if step.code in done or step.code == "application":
            if step.code == until:
                break
            continue
        day = applicant.applied_on + datetime.timedelta(days=schedule[step.code])
        actor = higher_actor if step.by == rules.HIGHER else branch_actor
        record = services.record_step(actor, applicant, step.code, date=day, note="（演示）" if applicant.is_synthetic else "",
                                      data=step_data(applicant, step.code, day), today=today)
        applicant = record.applicant
        if step.code == until:
            break
    return applicant


def _demo_orgs():
    from grassroots.accounts.models import RoleAssignment

    roles = {r.user.username: r for r in RoleAssignment.objects.filter(user__username__in=["branch_a_sj", "branch_b_sj", "town_sj"]).select_related("user", "org")}
    return roles


def generate_demo(today, seed, log):
    """About twenty applicants in the demo branches at every stage, some overdue, one ready for the assembly vote."""
    roles = _demo_orgs()
    if "branch_a_sj" not in roles or "town_sj" not in roles:
        log("发展党员：找不到演示账号 branch_a_sj / town_sj，跳过")
        return
    rng = random.Random(seed)
    town_sj = roles["town_sj"].user
    branches = [(roles["branch_a_sj"].org, roles["branch_a_sj"].user)]
    if "branch_b_sj" in roles:
        branches.append((roles["branch_b_sj"].org, roles["branch_b_sj"].user))
    # (days since application, last step, note): the stage follows from the timetable.
    plan = [
        (10, None), (45, None), (50, "talk"), (120, "contacts"), (300, "review"), (400, "review"), (470, "candidate"),
        (520, "prereview"), (507, "application_form"), (600, "approval"), (700, "oath"), (860, "probation_review"),
        (900, "full_vote"), (1000, "archive"), (1200, "oath"), (35, None), (200, "contacts"), (800, "oath"),
        (95, "talk"), (880, "full_application"),
    ]
    created = 0
    for i, (age, until) in enumerate(plan):
        branch, secretary = branches[0] if i % 4 else branches[-1]
        applied_on = today - datetime.timedelta(days=age)
        birth = datetime.date(today.year - rng.randint(20, 40), rng.randint(1, 12), rng.randint(1, 28))
        applicant = services.apply(secretary, branch, {
            "name": NAMES[i % len(NAMES)], "gender": "male" if i % 2 else "female", "birth_date": birth, "applied_on": applied_on,
            "education": rng.choice(["bachelor", "college", "high_school"]), "work_unit": rng.choice(["村委会", "武进区某公司", "湖塘镇卫生院", "个体经营"]),
        }, today=today)
        Applicant.objects.filter(pk=applicant.pk).update(is_synthetic=True)
        applicant.is_synthetic = True
        if until:
            try:
                advance(applicant, until, branch_actor=secretary, higher_actor=town_sj, today=today)
            except Exception as exc:  # noqa: BLE001 (a demo branch without enough full members stops early)
                log(f"发展党员：{applicant.name} 停在 {applicant.get_stage_display()}（{exc}）")
        created += 1
    log(f"发展党员：{created} 名入党申请人、积极分子、发展对象和预备党员")

