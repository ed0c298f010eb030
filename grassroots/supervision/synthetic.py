"""Demo data of supervision, written through the services (audit rows, notifications and tracking timelines
included), around the demo accounts:

- 武进区委 (wujin_zzb) sent a notice with two required measures to its townships 20 days ago: town_sj's township
  signed late and reported its measures, which the district signed off; one more township signed and is half
  way; the others are unsigned after the 1st, 2nd and 3rd reminders. town_sj's township sent a notice of its own
  to its villages (village_sj's village has it waiting to sign).
- A supervised task (督办) to three townships: town_sj's one returned for rework once, then signed off; a second
  task is overdue and rolls up on the list.
- 武进's supervision group (supervisor_dd a member) visited village_sj's village: a finding with a talk (约谈提醒),
  a 限期整改 reported and waiting for verification, linked to the village's rectification case when the
  rectification demo opened one, and a 追责 referred to the city, which decided; a second finding was closed on
  the spot.
"""

import datetime

from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.orgs.models import Organization
from grassroots.tracking import services as tracking

from . import services
from .choices import InterventionKind, Reach

DEMO_LOGINS = ()  # the part works with the base demo accounts (wujin_zzb, town_sj, village_sj, supervisor_dd)


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def _days(today, n):
    return today + datetime.timedelta(days=n)


def _notices(today, dept, town, village_sj):
    notice = services.issue_notice(
        dept.user, dept.org, title="关于开展党支部标准化规范化建设“回头看”的通知", number=f"武组通〔{today.year}〕18号",
        body="各镇党委：\n为巩固党支部标准化规范化建设成果，请对照标准逐个支部开展“回头看”，查摆问题，限期整改，并按时反馈落实情况。",
        issued_on=_days(today, -20), receipt_due=_days(today, -15), reach=Reach.CHILDREN,
        measures=["召开党委会专题研究部署", "逐个支部对照标准自查，建立问题清单", "整改情况形成书面报告"], measures_due=_days(today, 25),
    )
    receipts = list(notice.receipts.select_related("org", "task").order_by("org__path"))
    own = next((r for r in receipts if r.org_id == town.org_id), None)
    if own is not None:
        services.sign_receipt(town.user, own)
        services.report_feedback(town.user, own, text="镇党委会已专题研究，32 个支部完成自查，建立问题清单 45 条，已整改 41 条。", percent=100)
        own.refresh_from_db()
        tracking.sign_off(dept.user, own.task)
    others = [r for r in receipts if r.org_id != town.org_id]
    if others:
        # signed on the township's behalf by the district's account (the demo has no account for every township)
        services.sign_receipt(dept.user, others[0])
        services.report_feedback(dept.user, others[0], text="已召开党委会研究部署，自查进行中。", percent=60, submit=False)
    for day in (1, 3, 7):
        services.send_reminders(notice.receipt_due + datetime.timedelta(days=day))
    sent = 1
    if village_sj is not None and village_sj.org.path.startswith(town.org.path):
        services.issue_notice(
            town.user, town.org, title="关于做好年底党员组织关系排查的通知", body="请各村（社区）党组织排查组织关系，核对党员信息，年底前报镇党委。",
            issued_on=today, receipt_due=_days(today, 5), reach=Reach.CHILDREN, measures=["核对党员信息并报送排查表"],
            measures_due=_days(today, 20),
        )
        sent += 1
    return sent


def _assignments(today, dept, town):
    towns = [town.org, *Organization.objects.get_children(dept.org).filter(is_active=True, kind=town.org.kind).exclude(pk=town.org_id)
             .order_by("path")[:2]]
    a = services.create_assignment(dept.user, dept.org, title="村级党群服务中心提档升级", due_on=_days(today, 30), assignees=towns,
                                   detail="按“六有”标准完善功能室，公开服务事项，年底前完成。")
    task = a.task_list.tasks.get(assignee_org=town.org)
    tracking.report_progress(town.user, task, percent=100, text="12 个村党群服务中心完成改造", reported_on=_days(today, -6))
    tracking.submit(town.user, task)
    tracking.return_for_rework(dept.user, task, "请补充改造前后照片和服务事项公开清单")
    tracking.report_progress(town.user, task, percent=100, text="已补充照片和公开清单", reported_on=_days(today, -2))
    tracking.submit(town.user, task)
    tracking.sign_off(dept.user, task)
    late = services.create_assignment(dept.user, dept.org, title="软弱涣散村党组织整顿进展报告", due_on=_days(today, -5), assignees=towns[:2])
    first = late.task_list.tasks.get(assignee_org=town.org)
    tracking.report_progress(town.user, first, percent=50, text="整顿方案已制定，报告起草中", reported_on=_days(today, -8))
    return 2


def _supervision(today, dept, village_sj):
    inspector = User.objects.filter(username="supervisor_dd").first()
    group = services.create_group(dept.user, dept.org, name=f"{today.year}年度第一督导组", leader_name="周建华", member_names="钱立群、孙悦",
                                  members=[inspector] if inspector else ())
    actor = inspector or dept.user
    village = village_sj.org
    visit = services.plan_visit(actor, group, village, planned_on=_days(today, -12), purpose="三会一课落实和村务公开情况")
    services.record_visit(actor, visit, visited_on=_days(today, -10), summary="查阅会议记录和公开栏，走访党员群众 12 人。")
    finding = services.record_finding(actor, visit, kind="orglife", text="支委会记录不全，两个月未召开党小组会", found_on=_days(today, -10),
                                      responsible_name=village_sj.user.full_name or "村党组织书记", responsible_post="村党组织书记",
                                      rectify_by=_days(today, 20))
    services.issue_intervention(actor, finding, kind=InterventionKind.TALK, text="就组织生活不规范问题约谈村党组织书记", issued_on=_days(today, -9),
                                person_name=village_sj.user.full_name or "村党组织书记", talked_on=_days(today, -9), talker_name="周建华")
    order = services.issue_intervention(actor, finding, kind=InterventionKind.ORDER, text="一个月内补齐会议记录，按月召开党小组会",
                                        issued_on=_days(today, -9), due_on=_days(today, 21))
    cases = services.linkable_cases(dept.user, order)
    if cases.exists():
        services.link_case(dept.user, order, cases.first())
    services.report_rectified(village_sj.user, order, result="已补齐近半年支委会记录，各党小组已按月开会")
    style = services.record_finding(actor, visit, kind="finance", text="村务公开栏财务收支未按季度公开", found_on=_days(today, -10))
    services.close_finding(actor, style, note="督导当日已补充公开第三季度财务收支")
    serious = services.record_finding(actor, visit, kind="style", text="村委会个别干部对群众诉求推诿扯皮", found_on=_days(today, -10),
                                      responsible_name="村委会副主任", responsible_post="村委会副主任")
    referral = services.issue_intervention(actor, serious, kind=InterventionKind.ACCOUNTABILITY, text="建议对推诿扯皮问题追责问责",
                                           issued_on=_days(today, -8), person_name="村委会副主任")
    upper = _role("city_zzb", Role.ORG_DEPT)
    if upper is not None and referral.referred_to_id == upper.org_id:
        services.decide_referral(upper.user, referral, decision="给予诫勉谈话，责令作出书面检查", decided_on=_days(today, -3))
    return 3


def generate_demo(today, seed, log):
    dept, town, village_sj = _role("wujin_zzb", Role.ORG_DEPT), _role("town_sj", Role.SECRETARY), _role("village_sj", Role.SECRETARY)
    if dept is None or town is None:
        log("督导与通知：没有演示区委组织部或镇书记账号，跳过")
        return
    notices = _notices(today, dept, town, village_sj)
    tasks = _assignments(today, dept, town)
    findings = _supervision(today, dept, village_sj) if village_sj is not None else 0
    log(f"督导与通知：通知 {notices} 份，督办事项 {tasks} 项，督导发现问题 {findings} 个")
