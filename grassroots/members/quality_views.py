"""Pages of the data-quality audit (组织关系梳理排查) and the membership statistics, with their Excel exports.

Both read only: anyone with a reading role (organization department, secretary, supervisor, administrator)
sees the subtrees of their roles; an organization outside them is 404. `?format=xlsx` downloads the page's
content as a workbook, audited as an export.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.core import audit, scoping
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.core.roles import READING_ROLES
from grassroots.orgs.models import Organization

from . import quality, statistics


def readable_orgs(user):
    """Organizations whose member records the user may read."""
    return Organization.objects.filter(scoping.path_q("path", scoping.record_paths(user)))


def default_org(request):
    """The organization of the current scope (top bar) when its role reads records, else the first one that does."""
    scope = scoping.current_scope(request)
    if scope is not None and scope.role in READING_ROLES:
        return scope.org
    for assignment in scoping.active_roles(request.user):
        if assignment.role in READING_ROLES:
            return assignment.org
    if scoping.is_system_admin(request.user):  # a superuser without role assignments
        root = Organization.objects.filter(depth=1).order_by("path").first()
        if root is not None:
            return root
    raise PermissionDenied("您的角色不能查看党员信息排查和统计")


def org_in_scope(request, org_pk):
    if org_pk is None:
        return default_org(request)
    return get_object_or_404(readable_orgs(request.user), pk=org_pk)


def ancestors_in_scope(user, org):
    return list(readable_orgs(user).filter(path__in=org.ancestor_paths()).order_by("path"))


def wants_xlsx(request):
    return request.GET.get("format") == "xlsx"


def org_label(org):
    return org.short_name or org.name


# ---------------------------------------------------------------------------------------
# Data-quality audit
# ---------------------------------------------------------------------------------------

REPORT_HEADERS = ["党组织", "状态", "党员数", "有问题的党员", *[p.label for p in quality.PROBLEMS]]


def _report_line(name, state, counts):
    return [name, state, counts["total"], counts["with_problems"],
            *[counts[p.key] if p.computed else p.pending for p in quality.PROBLEMS]]


@login_required
@require_GET
def quality_report(request, org_pk=None):
    org = org_in_scope(request, org_pk)
    report = quality.report(org)
    if wants_xlsx(request):
        audit.record(audit.Action.EXPORT, org, actor=request.user, org_path=org.path, note="导出党员信息排查汇总")
        lines = [_report_line(f"{org.name}（合计）", "", report.totals)]
        if report.direct["total"]:
            lines.append(_report_line(f"{org.name}（直属党员）", "", report.direct))
        lines += [_report_line(c.name, "正常" if c.is_active else "已撤销", c.counts) for c in report.children]
        return xlsx_response(f"党员信息排查汇总-{org_label(org)}", "党员信息排查汇总", REPORT_HEADERS, lines)
    return render(request, "members/quality_report.html", {
        "org": org,
        "ancestors": ancestors_in_scope(request.user, org),
        "report": report,
        "problems": quality.PROBLEMS,
        "today": timezone.localdate(),
    })


WORKLIST_HEADERS = ["姓名", "性别", "出生日期", "公民身份号码", "联系电话", "所在党组织", "党员类别", "入党日期", "转正日期",
                    "党籍状态", "问题说明"]


def _worklist_line(member, problem, today):
    return [
        member.name, member.get_gender_display(), member.birth_date, member.id_number_masked, member.phone_masked,
        member.org.name, member.get_status_display(), member.joined_on, member.full_on, member.get_state_display(),
        quality.describe(problem, member, today),
    ]


@login_required
@require_GET
def quality_worklist(request, org_pk, kind):
    org = org_in_scope(request, org_pk)
    problem = quality.get_problem(kind)
    if problem is None:
        raise Http404("没有这种排查项目")
    today = timezone.localdate()
    direct = request.GET.get("direct") == "1"
    members = quality.worklist(org, problem, today, direct=direct)
    if wants_xlsx(request):
        audit.record(audit.Action.EXPORT, org, actor=request.user, org_path=org.path,
                     note=f"导出党员信息排查清单：{problem.label}（个人信息已脱敏）")
        rows = (_worklist_line(m, problem, today) for m in members.iterator(chunk_size=2000))
        return xlsx_response(f"党员信息排查清单-{problem.short}-{org_label(org)}", problem.short, WORKLIST_HEADERS, rows)
    page = paginate(request, members)
    manage_paths = scoping.manage_paths(request.user)
    duplicates = quality.duplicates_of(page, scoping.record_paths(request.user)) if problem.key == "duplicate_id_number" else {}
    for m in page:
        m.can_edit = scoping.covers(manage_paths, m.org_path)
        m.issue = quality.describe(problem, m, today)
        m.duplicates = duplicates.get(m.pk)
    return render(request, "members/quality_worklist.html", {
        "org": org,
        "ancestors": ancestors_in_scope(request.user, org),
        "problem": problem,
        "problems": [p for p in quality.PROBLEMS if p.computed],
        "page": page,
        "query": query_without_page(request),
        "direct": direct,
    })


# ---------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------


@login_required
@require_GET
def statistics_report(request, org_pk=None):
    org = org_in_scope(request, org_pk)
    stats = statistics.compute(org)
    if wants_xlsx(request):
        audit.record(audit.Action.EXPORT, org, actor=request.user, org_path=org.path, note="导出党员队伍结构统计")
        return statistics.xlsx_response(stats, f"党员队伍结构统计-{org_label(org)}")
    children = Organization.objects.children_of(org).filter(is_active=True).order_by("path")
    return render(request, "members/statistics_report.html", {
        "org": org,
        "ancestors": ancestors_in_scope(request.user, org),
        "children": children,
        "stats": stats,
        "charts": stats.chart_data(),
    })


urlpatterns = [
    path("quality/", quality_report, name="quality"),
    path("quality/<int:org_pk>/", quality_report, name="quality"),
    path("quality/<int:org_pk>/<slug:kind>/", quality_worklist, name="quality_worklist"),
    path("statistics/", statistics_report, name="statistics"),
    path("statistics/<int:org_pk>/", statistics_report, name="statistics"),
]
