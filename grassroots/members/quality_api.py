"""API of the data-quality audit and the membership statistics (read only, scoped like the pages).

Without `org_id` an endpoint answers for the user's first organization with a reading role.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.core.roles import READING_ROLES

from . import quality, statistics
from .quality_views import readable_orgs

router = Router(tags=["党员信息排查与统计"])


def _org(request, org_id):
    if org_id is not None:
        return get_object_or_404(readable_orgs(request.user), pk=org_id)
    for assignment in scoping.active_roles(request.user):
        if assignment.role in READING_ROLES:
            return assignment.org
    if scoping.is_system_admin(request.user):
        root = readable_orgs(request.user).filter(depth=1).order_by("path").first()
        if root is not None:
            return root
    raise PermissionDenied("您的角色不能查看党员信息排查和统计")


# ---------------------------------------------------------------------------------------
# Data-quality audit
# ---------------------------------------------------------------------------------------


class ProblemOut(Schema):
    key: str
    label: str
    hint: str
    computed: bool
    pending: str
    count: int | None


class QualityRowOut(Schema):
    org_id: int
    org_name: str
    is_active: bool
    total: int
    with_problems: int
    counts: dict[str, int]


class QualityOut(Schema):
    org_id: int
    org_name: str
    total: int
    with_problems: int
    problems: list[ProblemOut]
    direct: QualityRowOut
    children: list[QualityRowOut]


class WorklistItem(Schema):
    id: int
    name: str
    gender: str
    birth_date: datetime.date
    id_number_masked: str
    phone_masked: str
    org_id: int
    org_name: str
    status: str
    joined_on: datetime.date
    full_on: datetime.date | None
    issue: str
    edit_url: str


class WorklistPage(Schema):
    count: int
    page: int
    page_size: int
    kind: str
    kind_label: str
    items: list[WorklistItem]


def _quality_row(org, counts):
    return {
        "org_id": org.pk, "org_name": org.name, "is_active": org.is_active, "total": counts["total"],
        "with_problems": counts["with_problems"], "counts": {p.key: counts[p.key] for p in quality.COMPUTED},
    }


@router.get("/quality", response={200: QualityOut, 403: ErrorOut}, summary="党员信息排查汇总（含下级，按直属下级分列）")
def quality_report(request, org_id: int | None = Query(None, description="党组织；默认为当前账号的第一个管理或查看范围")):
    org = _org(request, org_id)
    report = quality.report(org)
    return {
        "org_id": org.pk, "org_name": org.name, "total": report.totals["total"], "with_problems": report.totals["with_problems"],
        "problems": [
            {"key": p.key, "label": p.label, "hint": p.hint, "computed": p.computed, "pending": p.pending, "count": n}
            for p, n in report.rows()
        ],
        "direct": _quality_row(org, report.direct),
        "children": [_quality_row(c, c.counts) for c in report.children],
    }


@router.get("/quality/{org_id}/worklist", response={200: WorklistPage, 403: ErrorOut, 422: ErrorOut},
            summary="党员信息排查清单（个人信息脱敏）")
def quality_worklist(request, org_id: int, kind: str = Query("", description="排查项目，如 missing_phone"),
                     direct: bool = False, page: int = 1, page_size: int = 50):
    org = _org(request, org_id)
    problem = quality.get_problem(kind)
    if problem is None:
        choices = "、".join(p.key for p in quality.COMPUTED)
        raise ValidationError({"kind": f"请选择排查项目：{choices}"})
    today = timezone.localdate()

    def items(members):
        return [
            {
                "id": m.pk, "name": m.name, "gender": m.gender, "birth_date": m.birth_date, "id_number_masked": m.id_number_masked,
                "phone_masked": m.phone_masked, "org_id": m.org_id, "org_name": m.org.name, "status": m.status,
                "joined_on": m.joined_on, "full_on": m.full_on, "issue": quality.describe(problem, m, today),
                "edit_url": f"/members/{m.pk}/edit/",
            }
            for m in members
        ]

    result = paginated(quality.worklist(org, problem, today, direct=direct), page, page_size, items)
    return {**result, "kind": problem.key, "kind_label": problem.label}


# ---------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------


class StatRowOut(Schema):
    key: str
    label: str
    count: int
    percent: float


class DimensionOut(Schema):
    key: str
    label: str
    rows: list[StatRowOut]
    summary: list[StatRowOut]
    note: str


class StatisticsOut(Schema):
    org_id: int
    org_name: str
    date: datetime.date
    total: int
    left_register: int
    dimensions: list[DimensionOut]


def _stat_rows(rows):
    return [{"key": r.key, "label": r.label, "count": r.count, "percent": float(r.percent)} for r in rows]


@router.get("/statistics", response={200: StatisticsOut, 403: ErrorOut}, summary="党员队伍结构统计（含下级）")
def member_statistics(request, org_id: int | None = Query(None, description="党组织；默认为当前账号的第一个管理或查看范围")):
    org = _org(request, org_id)
    stats = statistics.compute(org)
    return {
        "org_id": org.pk, "org_name": org.name, "date": stats.today, "total": stats.total, "left_register": stats.left_register,
        "dimensions": [
            {"key": d.key, "label": d.label, "rows": _stat_rows(d.rows), "summary": _stat_rows(d.summary), "note": d.note}
            for d in stats.dimensions
        ],
    }
