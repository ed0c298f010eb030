"""REST API of organizational life: meetings, attendance, compliance and the six-month list, scoped like the pages."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, page_params, paginated
from grassroots.members.models import Member
from grassroots.orgs.models import Organization

from . import compliance, rules, services
from .choices import AttendanceStatus, MeetingKind, MeetingState, Period
from .models import Meeting
from .views import meeting_queryset

router = Router(tags=["组织生活"])


class MeetingOut(Schema):
    id: int
    kind: MeetingKind
    kind_label: str
    is_special: bool
    org_id: int
    org_name: str
    starts_at: datetime.datetime
    place: str
    host_id: int | None
    recorder_id: int | None
    topic: str
    agenda: str
    minutes: str
    lecturer: str
    state: MeetingState
    state_label: str
    confirmed_at: datetime.datetime | None


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MeetingOut]


class AttendanceIn(Schema):
    member_id: int
    status: str
    leave_reason: str = ""
    as_ordinary_member: bool = False


class AttendanceOut(Schema):
    member_id: int
    member_name: str
    status: AttendanceStatus
    status_label: str
    leave_reason: str
    as_ordinary_member: bool


class MeetingFields(Schema):
    kind: str
    is_special: bool = False
    starts_at: datetime.datetime
    place: str = ""
    host_id: int | None = None
    recorder_id: int | None = None
    topic: str
    agenda: str = ""
    minutes: str = ""
    lecturer: str = ""


class MeetingCreateIn(MeetingFields):
    org_id: int
    record: bool = False  # false: plan; true: record a held meeting (minutes and attendance)
    attendance: list[AttendanceIn] | None = None


class RecordIn(Schema):
    kind: str | None = None
    is_special: bool | None = None
    starts_at: datetime.datetime | None = None
    place: str | None = None
    host_id: int | None = None
    recorder_id: int | None = None
    topic: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    lecturer: str | None = None
    attendance: list[AttendanceIn] | None = None


class AmendIn(RecordIn):
    reason: str


class CellOut(Schema):
    status: str
    met: int
    owed: int


class BranchOut(Schema):
    org_id: int
    code: str
    name: str
    groups: int
    committee_months: int
    met: int
    due: int
    percent: int | None
    cells: list[CellOut]


class ComplianceOut(Schema):
    org_id: int
    year: int
    by: str
    met: int
    due: int
    percent: int | None
    trend: list[int | None]
    count: int
    page: int
    page_size: int
    branches: list[BranchOut]


class AbsenteeOut(Schema):
    member_id: int
    name: str
    org_id: int
    org_name: str
    last_present: datetime.datetime | None
    since: datetime.date  # the day the six months count from: last attendance, joining or return
    listed_from: datetime.date  # the first day the member is on the list (rules.six_months_listed_from)
    leaves: int


def _meeting_out(m):
    return {
        **{f: getattr(m, f) for f in MeetingOut.model_fields if hasattr(m, f) and f not in ("org_name",)},
        "kind_label": m.get_kind_display(), "state_label": m.get_state_display(), "org_name": m.org.name,
    }


def _visible_org(request, org_id):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=org_id)


def _visible_meeting(request, meeting_id):
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("org"), pk=meeting_id)


def _person(request, member_id, field):
    if member_id is None:
        return None
    member = Member.objects.visible_to(request.user).filter(pk=member_id).first()
    if member is None:
        raise ValidationError({field: "找不到该党员，或不在您的管理范围内"})
    return member


def _data(request, payload, fields):
    data = {}
    for name in fields:
        if name in ("host_id", "recorder_id"):
            if name in fields:
                data[name[:-3]] = _person(request, fields[name], name)
        else:
            data[name] = fields[name]
    if data.get("starts_at") is not None and timezone.is_naive(data["starts_at"]):
        data["starts_at"] = timezone.make_aware(data["starts_at"])  # a time without offset is Beijing time
    if "kind" in data and data["kind"] not in MeetingKind.values:
        raise ValidationError({"kind": "不是有效的会议类型"})
    return data


def _attendance(rows):
    if rows is None:
        return None
    return {r.member_id: {"status": r.status, "leave_reason": r.leave_reason, "as_ordinary_member": r.as_ordinary_member} for r in rows}


@router.get("/meetings", response=MeetingPage, summary="会议列表")
def list_meetings(
    request,
    org_id: int | None = Query(None, description="只列出该组织及其下级的会议"),
    kind: MeetingKind | None = None,
    state: MeetingState | None = None,
    month: str = Query("", description="YYYY-MM（北京时间）"),
    page: int = 1,
    page_size: int = 50,
):
    params = {"kind": kind or "", "state": state or "", "month": month}
    qs = meeting_queryset(request.user, params)
    if org_id is not None:
        qs = qs.filter(org_path__startswith=_visible_org(request, org_id).path)
    return paginated(qs, page, page_size, lambda rows: [_meeting_out(m) for m in rows])


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="会议详情")
def get_meeting(request, meeting_id: int):
    return _meeting_out(_visible_meeting(request, meeting_id))


@router.get("/meetings/{meeting_id}/attendance", response=list[AttendanceOut], summary="出席情况")
def get_attendance(request, meeting_id: int):
    meeting = _visible_meeting(request, meeting_id)
    return [
        {
            "member_id": a.member_id, "member_name": a.member.name, "status": a.status, "status_label": a.get_status_display(),
            "leave_reason": a.leave_reason, "as_ordinary_member": a.as_ordinary_member,
        }
        for a in meeting.attendances.select_related("member")
    ]


@router.post("/meetings", response={201: MeetingOut, 403: ErrorOut, 422: ErrorOut}, summary="安排或登记会议")
def create_meeting(request, payload: MeetingCreateIn):
    org = _visible_org(request, payload.org_id)
    fields = payload.model_dump(exclude={"org_id", "record", "attendance"})
    data = _data(request, payload, fields)
    if payload.record:
        meeting = services.record_meeting(request.user, org=org, data=data, attendance=_attendance(payload.attendance))
    else:
        meeting = services.plan_meeting(request.user, org, data)
    return Status(201, _meeting_out(meeting))


@router.post("/meetings/{meeting_id}/record", response={200: MeetingOut, 403: ErrorOut, 422: ErrorOut}, summary="登记（或修改未确认的）会议记录")
def record_meeting(request, meeting_id: int, payload: RecordIn):
    meeting = _visible_meeting(request, meeting_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"attendance"})
    data = _data(request, payload, fields)
    return _meeting_out(services.record_meeting(request.user, meeting, data=data, attendance=_attendance(payload.attendance)))


@router.post("/meetings/{meeting_id}/confirm", response={200: MeetingOut, 403: ErrorOut, 422: ErrorOut}, summary="确认会议记录")
def confirm_meeting(request, meeting_id: int):
    return _meeting_out(services.confirm_meeting(request.user, _visible_meeting(request, meeting_id)))


@router.post("/meetings/{meeting_id}/amend", response={200: MeetingOut, 403: ErrorOut, 422: ErrorOut}, summary="更正已确认的会议记录")
def amend_meeting(request, meeting_id: int, payload: AmendIn):
    meeting = _visible_meeting(request, meeting_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"attendance", "reason"})
    data = _data(request, payload, fields)
    meeting = services.amend_meeting(request.user, meeting, reason=payload.reason, data=data, attendance=_attendance(payload.attendance))
    return _meeting_out(meeting)


@router.get("/compliance/{org_id}", response={200: ComplianceOut, 422: ErrorOut}, summary="组织生活落实情况（某组织及其下级，一年）")
def get_compliance(
    request, org_id: int, year: int | None = Query(None, ge=2000, le=2100, description="默认今年"), by: Period = Period.MONTH,
    page: int = 1, page_size: int = 50,
):
    year = year or timezone.localdate().year
    if by == Period.YEAR:
        raise ValidationError({"by": "只能按月（month）或季度（quarter）统计"})
    org = _visible_org(request, org_id)
    page, page_size = page_params(page, page_size)
    start, end = (page - 1) * page_size, page * page_size
    results = compliance.compute(org, year, detail=lambda i, _b: start <= i < end)
    total = compliance.rollup([org], results, by)[0]
    return {
        "org_id": org.pk, "year": year, "by": by, "met": total.met, "due": total.due, "percent": total.percent,
        "trend": compliance.yearly_trend(results), "count": len(results), "page": page, "page_size": page_size,
        "branches": [
            {
                "org_id": bc.org.pk, "code": bc.org.code, "name": bc.org.name, "groups": bc.groups, "committee_months": bc.committee_months,
                "met": bc.met, "due": bc.due, "percent": bc.percent,
                "cells": [{"status": c.status, "met": c.met, "owed": c.owed} for c in bc.cells(by)],
            }
            for bc in results[start:end]
        ],
    }


class AbsenteePage(Schema):
    count: int
    page: int
    page_size: int
    as_of: datetime.date
    period_first: datetime.date  # the six months that end on as_of: no attendance from this day
    items: list[AbsenteeOut]


@router.get("/six-months/{org_id}", response={200: AbsenteePage, 403: ErrorOut, 422: ErrorOut}, summary="连续六个月未参加组织生活的党员")
def six_months(request, org_id: int, page: int = 1, page_size: int = 50, as_of: datetime.date | None = None):
    """The list on `as_of` (YYYY-MM-DD, default today; not later than today), counted to the day."""
    org = _visible_org(request, org_id)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该组织党员名单的权限")
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise ValidationError({"as_of": "统计日期不能晚于今天"})

    def rows(members):
        return [
            {"member_id": m.pk, "name": m.name, "org_id": m.org_id, "org_name": m.org.name, "last_present": m.last_present,
             "since": m.since, "listed_from": rules.six_months_listed_from(m.since), "leaves": m.leaves or 0}
            for m in members
        ]

    result = paginated(compliance.six_month_absentees(org.path, as_of), page, page_size, rows)
    return {**result, "as_of": as_of, "period_first": compliance.six_month_period(as_of)[0]}


# ---- democratic appraisal ------------------------------------------------------------------------------


class AppraisalIn(Schema):
    org_id: int
    year: int


class BallotIn(Schema):
    grades: dict[int, str]


class ConcludeIn(Schema):
    grades: dict[int, str]
    self_assessments: dict[int, str] = {}


class FollowUpIn(Schema):
    action: str
    decided_on: datetime.date
    document: str = ""
    deadline: datetime.date | None = None


class ResultOut(Schema):
    id: int
    member_id: int
    member_name: str
    excellent_votes: int
    qualified_votes: int
    basic_votes: int
    unqualified_votes: int
    grade: str
    grade_label: str
    follow_up: str
    follow_up_label: str
    correction_deadline: datetime.date | None


class AppraisalOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    state: str
    state_label: str
    ballots_cast: int
    voters: int
    results: list[ResultOut] | None


def _visible_appraisal(request, appraisal_id):
    """Readers of the branch see the appraisal, and so does every member of the branch (they vote)."""
    from django.db.models import Q

    from .models import Appraisal

    q = scoping.path_q("org_path", scoping.read_paths(request.user))
    member = Member.objects.filter(user=request.user).only("org_path").first()
    if member is not None:
        prefixes = [member.org_path[:i] for i in range(4, len(member.org_path) + 1, 4)]
        q |= Q(org_path__in=prefixes)
    return get_object_or_404(Appraisal.objects.filter(q).select_related("org"), pk=appraisal_id)


def _appraisal_out(request, a):
    from . import appraisal as appraisal_services

    results = None
    if scoping.covers(scoping.record_paths(request.user), a.org_path):
        results = [
            {
                "id": r.id, "member_id": r.member_id, "member_name": r.member.name, "excellent_votes": r.excellent_votes,
                "qualified_votes": r.qualified_votes, "basic_votes": r.basic_votes, "unqualified_votes": r.unqualified_votes,
                "grade": r.grade, "grade_label": r.get_grade_display() if r.grade else "", "follow_up": r.follow_up,
                "follow_up_label": r.get_follow_up_display() if r.follow_up else "", "correction_deadline": r.correction_deadline,
            }
            for r in a.results.select_related("member")
        ]
    return {
        "id": a.id, "org_id": a.org_id, "org_name": a.org.name, "year": a.year, "state": a.state, "state_label": a.get_state_display(),
        "ballots_cast": a.receipts.count(), "voters": appraisal_services.voters(a).count(), "results": results,
    }


@router.post("/appraisals", response={201: AppraisalOut, 403: ErrorOut, 422: ErrorOut}, summary="开展民主评议党员")
def open_appraisal(request, payload: AppraisalIn):
    from . import appraisal as appraisal_services

    a = appraisal_services.open_appraisal(request.user, _visible_org(request, payload.org_id), payload.year)
    return Status(201, _appraisal_out(request, a))


# ---- appraisal roll-up (registered before /appraisals/{appraisal_id}, which would take "summary" for an id) ---


class GradeCountOut(Schema):
    grade: str
    label: str
    count: int
    percent: float | None


class AppraisalRollupRowOut(Schema):
    org_id: int
    code: str
    name: str
    branches: int
    concluded: int
    not_concluded: int
    appraised: int
    grades: list[GradeCountOut]


class AppraisalSummaryOut(Schema):
    org_id: int
    year: int
    total: AppraisalRollupRowOut
    rows: list[AppraisalRollupRowOut]


def _rollup_row_out(r):
    from .choices import Grade

    return {
        "org_id": r.org.pk, "code": r.org.code, "name": r.org.name, "branches": r.branches, "concluded": r.concluded,
        "not_concluded": r.not_concluded, "appraised": r.appraised,
        "grades": [{"grade": v, "label": label, "count": r.counts[v], "percent": r.percent(v)} for v, label in Grade.choices],
    }


@router.get("/appraisals/summary", response={200: AppraisalSummaryOut, 403: ErrorOut}, summary="民主评议党员结果汇总（某组织的各下级组织，一年）")
def appraisal_summary(
    request, org_id: int | None = Query(None, description="默认为您可查看的第一个上级组织"),
    year: int | None = Query(None, ge=2000, le=2100, description="默认今年"),
):
    from . import appraisal as appraisal_services

    if org_id is None:
        org = Organization.objects.scope_roots(request.user).first()
        if org is None:
            raise PermissionDenied("没有可查看的党组织")
    else:
        org = _visible_org(request, org_id)
    year = year or timezone.localdate().year
    rows, total = appraisal_services.rollup(org, year)
    return {"org_id": org.pk, "year": year, "total": _rollup_row_out(total), "rows": [_rollup_row_out(r) for r in rows]}


@router.get("/appraisals/{appraisal_id}", response=AppraisalOut, summary="民主评议详情（结果仅对有党员信息查看权限者显示）")
def get_appraisal(request, appraisal_id: int):
    return _appraisal_out(request, _visible_appraisal(request, appraisal_id))


@router.post("/appraisals/{appraisal_id}/ballot", response={204: None, 403: ErrorOut, 422: ErrorOut}, summary="提交匿名测评票")
def cast_ballot(request, appraisal_id: int, payload: BallotIn):
    from . import appraisal as appraisal_services

    appraisal_services.cast_ballot(request.user, _visible_appraisal(request, appraisal_id), payload.grades)
    return Status(204, None)


@router.post("/appraisals/{appraisal_id}/conclude", response={200: AppraisalOut, 403: ErrorOut, 422: ErrorOut}, summary="评定等次")
def conclude_appraisal(request, appraisal_id: int, payload: ConcludeIn):
    from . import appraisal as appraisal_services

    a = appraisal_services.conclude(request.user, _visible_appraisal(request, appraisal_id), payload.grades, payload.self_assessments)
    return _appraisal_out(request, a)


@router.post("/appraisals/results/{result_id}/follow-up", response={200: ResultOut, 403: ErrorOut, 422: ErrorOut}, summary="不合格党员的组织处置")
def follow_up(request, result_id: int, payload: FollowUpIn):
    from . import appraisal as appraisal_services
    from .models import AppraisalResult

    result = get_object_or_404(
        AppraisalResult.objects.filter(scoping.path_q("appraisal__org_path", scoping.record_paths(request.user))), pk=result_id
    )
    r = appraisal_services.follow_up(
        request.user, result, payload.action, decided_on=payload.decided_on, document=payload.document, deadline=payload.deadline
    )
    return {
        "id": r.id, "member_id": r.member_id, "member_name": r.member.name, "excellent_votes": r.excellent_votes,
        "qualified_votes": r.qualified_votes, "basic_votes": r.basic_votes, "unqualified_votes": r.unqualified_votes,
        "grade": r.grade, "grade_label": r.get_grade_display(), "follow_up": r.follow_up,
        "follow_up_label": r.get_follow_up_display() if r.follow_up else "", "correction_deadline": r.correction_deadline,
    }


class RateOut(Schema):
    member_id: int
    name: str
    org_name: str
    expected: int
    present: int
    on_leave: int
    rate: float | None


class RatePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RateOut]


@router.get("/attendance-rates/{org_id}", response={200: RatePage, 403: ErrorOut}, summary="党员参加组织生活出席率（一年）")
def attendance_rates(request, org_id: int, year: int | None = Query(None, ge=2000, le=2100), page: int = 1, page_size: int = 50):
    org = _visible_org(request, org_id)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该组织党员名单的权限")
    qs = compliance.attendance_rates(org.path, year or timezone.localdate().year)

    def rows(members):
        return [
            {"member_id": m.pk, "name": m.name, "org_name": m.org.name, "expected": m.expected, "present": m.present,
             "on_leave": m.on_leave, "rate": m.rate}
            for m in members
        ]

    return paginated(qs, page, page_size, rows)


# ---- meeting attachments -------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    meeting_id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime
    download_url: str


def _attachment_out(a):
    return {
        "id": a.id, "meeting_id": a.meeting_id, "original_name": a.original_name, "content_type": a.content_type,
        "size": a.size, "sha256": a.sha256, "uploaded_at": a.uploaded_at, "download_url": f"/api/v1/orglife/attachments/{a.id}",
    }


@router.post(
    "/meetings/{meeting_id}/attachments", response={201: AttachmentOut, 403: ErrorOut, 422: ErrorOut}, summary="上传会议附件",
)
def upload_attachment(request, meeting_id: int, file: Annotated[UploadedFile, File(description="jpg、png、pdf、doc 或 docx 文件")]):
    """multipart/form-data, field `file`. The extension and the file's leading bytes must agree; at most 20 MB
    (settings.ORGLIFE_ATTACHMENT_MAX_BYTES)."""
    meeting = _visible_meeting(request, meeting_id)
    return Status(201, _attachment_out(services.add_attachment(request.user, meeting, file)))


@router.get("/meetings/{meeting_id}/attachments", response=list[AttachmentOut], summary="会议附件列表")
def list_attachments(request, meeting_id: int):
    return [_attachment_out(a) for a in _visible_meeting(request, meeting_id).attachments.all()]


@router.get("/attachments/{attachment_id}", summary="下载会议附件")
def download_attachment(request, attachment_id: int):
    """The file itself (Content-Disposition: attachment, under its original name), for callers who see the meeting."""
    from .views import attachment_download_response, visible_attachments

    return attachment_download_response(get_object_or_404(visible_attachments(request.user), pk=attachment_id))
