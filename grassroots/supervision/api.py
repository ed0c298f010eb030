"""REST API of supervision under /api/v1/supervision/, scoped like the pages."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization
from grassroots.tracking import queries as tracking_queries

from . import queries, services
from .choices import Reach
from .models import Assignment, Finding, Intervention, Notice, Receipt

router = Router(tags=["督导与通知"])


class NoticeOut(Schema):
    id: int
    org_id: int
    number: str
    title: str
    issued_on: datetime.date
    receipt_due: datetime.date
    measures_due: datetime.date | None
    receipts: int
    signed: int
    done: int


class NoticePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[NoticeOut]


class NoticeIn(Schema):
    org_id: int
    title: str
    body: str
    issued_on: datetime.date
    receipt_due: datetime.date
    reach: str = Reach.CHILDREN
    number: str = ""
    measures: list[str] = []
    measures_due: datetime.date | None = None


class ReceiptOut(Schema):
    id: int
    notice_id: int
    org_id: int
    org_name: str
    signed_at: datetime.datetime | None
    late: bool
    reminders: int
    feedback: str
    task_id: int | None
    task_state: str | None
    task_percent: int | None


class FeedbackIn(Schema):
    text: str
    percent: int = 100
    submit: bool = True


class FindingOut(Schema):
    id: int
    org_id: int
    kind: str
    text: str
    responsible_name: str
    state: str
    found_on: datetime.date
    closed_on: datetime.date | None


class InterventionIn(Schema):
    kind: str
    text: str
    issued_on: datetime.date
    person_name: str = ""
    talked_on: datetime.date | None = None
    talker_name: str = ""
    due_on: datetime.date | None = None


class InterventionOut(Schema):
    id: int
    finding_id: int
    org_id: int
    kind: str
    state: str
    issued_on: datetime.date
    due_on: datetime.date | None
    verified_on: datetime.date | None
    referred_to_id: int | None
    rectification_case_id: int | None


class VerifyIn(Schema):
    accepted: bool
    note: str


class ResultIn(Schema):
    result: str


class DecisionIn(Schema):
    decision: str
    decided_on: datetime.date


class CaseIn(Schema):
    case_id: int


class AssignmentIn(Schema):
    org_id: int
    title: str
    due_on: datetime.date
    assignee_ids: list[int]
    detail: str = ""


class AssignmentOut(Schema):
    id: int
    org_id: int
    title: str
    due_on: datetime.date
    task_list_id: int
    tasks: int
    done: int
    overdue: int


class AssignmentPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AssignmentOut]


def _notice_out(n):
    return NoticeOut(id=n.pk, org_id=n.org_id, number=n.number, title=n.title, issued_on=n.issued_on, receipt_due=n.receipt_due,
                     measures_due=n.measures_due, receipts=n.n_receipts, signed=n.n_signed, done=n.n_done)


def _receipt_out(r):
    return ReceiptOut(id=r.pk, notice_id=r.notice_id, org_id=r.org_id, org_name=r.org.name, signed_at=r.signed_at, late=r.signed_late(),
                      reminders=r.reminders, feedback=r.feedback, task_id=r.task_id, task_state=r.task.state if r.task else None,
                      task_percent=r.task.percent if r.task else None)


def _item_out(i):
    return InterventionOut(id=i.pk, finding_id=i.finding_id, org_id=i.org_id, kind=i.kind, state=i.state, issued_on=i.issued_on, due_on=i.due_on,
                           verified_on=i.verified_on, referred_to_id=i.referred_to_id, rectification_case_id=i.rectification_case_id)


@router.get("/notices", response={200: NoticePage}, summary="通知列表（本范围下发和收到的）")
def notice_list(request, q: str = "", page: int = 1, page_size: int = 50):
    qs = Notice.objects.visible_to(request.user)
    if q:
        qs = qs.filter(title__contains=q)
    return paginated(queries.notices_with_counts(qs, timezone.localdate()), page, page_size, lambda rows: [_notice_out(n) for n in rows])


@router.post("/notices", response={201: NoticeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="下发通知（无附件）")
def notice_create(request, payload: NoticeIn):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.manage_paths(request.user))), pk=payload.org_id)
    n = services.issue_notice(request.user, org, title=payload.title, body=payload.body, issued_on=payload.issued_on, receipt_due=payload.receipt_due,
                              reach=payload.reach, number=payload.number, measures=payload.measures, measures_due=payload.measures_due)
    return Status(201, _notice_out(queries.notices_with_counts(Notice.objects.filter(pk=n.pk), timezone.localdate()).get()))


@router.get("/notices/{notice_id}/receipts", response={200: list[ReceiptOut], 404: ErrorOut}, summary="通知的签收和落实情况")
def notice_receipts(request, notice_id: int):
    n = get_object_or_404(Notice.objects.visible_to(request.user), pk=notice_id)
    receipts = n.receipts.select_related("org", "task", "notice").order_by("org__path")
    if not scoping.covers(scoping.record_paths(request.user), n.org_path):
        receipts = receipts.filter(scoping.path_q("org_path", scoping.record_paths(request.user)))
    return [_receipt_out(r) for r in receipts]


def _receipt(request, receipt_id):
    return get_object_or_404(Receipt.objects.visible_to(request.user).select_related("org", "notice", "task"), pk=receipt_id)


@router.post("/receipts/{receipt_id}/sign", response={200: ReceiptOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="签收")
def receipt_sign(request, receipt_id: int):
    r = services.sign_receipt(request.user, _receipt(request, receipt_id))
    return _receipt_out(Receipt.objects.select_related("org", "notice", "task").get(pk=r.pk))


@router.post("/receipts/{receipt_id}/feedback", response={200: ReceiptOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="反馈落实情况")
def receipt_feedback(request, receipt_id: int, payload: FeedbackIn):
    r = services.report_feedback(request.user, _receipt(request, receipt_id), text=payload.text, percent=payload.percent, submit=payload.submit)
    return _receipt_out(Receipt.objects.select_related("org", "notice", "task").get(pk=r.pk))


@router.get("/orgs/{org_id}/findings", response={200: list[FindingOut], 403: ErrorOut, 404: ErrorOut}, summary="问题清单（含责任人和状态）")
def org_findings(request, org_id: int):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=org_id)
    return [FindingOut(id=f.pk, org_id=f.org_id, kind=f.kind, text=f.text, responsible_name=f.responsible_name, state=f.state, found_on=f.found_on,
                       closed_on=f.closed_on) for f in Finding.objects.visible_to(request.user).filter(org_path__startswith=org.path)[:500]]


@router.post("/findings/{finding_id}/interventions", response={201: InterventionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="下达处置（约谈提醒、限期整改、严肃批评、追责）")
def finding_intervene(request, finding_id: int, payload: InterventionIn):
    f = get_object_or_404(Finding.objects.visible_to(request.user), pk=finding_id)
    item = services.issue_intervention(request.user, f, **payload.model_dump())
    return Status(201, _item_out(item))


@router.post("/interventions/{intervention_id}/verify", response={200: InterventionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="验收限期整改")
def intervention_verify(request, intervention_id: int, payload: VerifyIn):
    item = get_object_or_404(Intervention.objects.visible_to(request.user), pk=intervention_id)
    return _item_out(services.verify_order(request.user, item, accepted=payload.accepted, note=payload.note))


def _intervention(request, intervention_id, referred=False):
    qs = Intervention.objects.visible_to(request.user)
    if referred:  # the organization a 严肃批评 / 追责 was referred to reads it too
        qs = Intervention.objects.filter(Q(pk__in=qs.values("pk")) | Q(scoping.path_q("referred_path", scoping.record_paths(request.user)),
                                                                        referred_path__gt=""))
    return get_object_or_404(qs, pk=intervention_id)


@router.post("/interventions/{intervention_id}/report", response={200: InterventionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="报告限期整改结果（被整改单位）")
def intervention_report(request, intervention_id: int, payload: ResultIn):
    return _item_out(services.report_rectified(request.user, _intervention(request, intervention_id), result=payload.result))


@router.post("/interventions/{intervention_id}/decide", response={200: InterventionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="上级处理移交的严肃批评、追责问责")
def intervention_decide(request, intervention_id: int, payload: DecisionIn):
    item = _intervention(request, intervention_id, referred=True)
    return _item_out(services.decide_referral(request.user, item, decision=payload.decision, decided_on=payload.decided_on))


@router.post("/interventions/{intervention_id}/case", response={200: InterventionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="限期整改关联软弱涣散整顿台账")
def intervention_case(request, intervention_id: int, payload: CaseIn):
    item = _intervention(request, intervention_id)
    case = get_object_or_404(services.linkable_cases(request.user, item), pk=payload.case_id)
    return _item_out(services.link_case(request.user, item, case))


def _assignment_out(a, roll):
    return AssignmentOut(id=a.pk, org_id=a.org_id, title=a.title, due_on=a.due_on, task_list_id=a.task_list_id, tasks=roll.total, done=roll.done,
                         overdue=roll.overdue)


@router.get("/assignments", response={200: AssignmentPage}, summary="督办事项（含办结、逾期汇总）")
def assignment_list(request, page: int = 1, page_size: int = 50):
    today = timezone.localdate()
    qs = Assignment.objects.visible_to(request.user).order_by("-created_at", "-id")

    def rows(items):
        rolled = tracking_queries.rollup([a.task_list_id for a in items], today) if items else {}
        return [_assignment_out(a, rolled[a.task_list_id]) for a in items]

    return paginated(qs, page, page_size, lambda items: rows(list(items)))


@router.post("/assignments", response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="下达督办任务")
def assignment_create(request, payload: AssignmentIn):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.manage_paths(request.user))), pk=payload.org_id)
    assignees = list(Organization.objects.filter(path__startswith=org.path, is_active=True, pk__in=payload.assignee_ids))
    if len(assignees) != len(set(payload.assignee_ids)):
        from grassroots.core.errors import ValidationError

        raise ValidationError({"assignee_ids": "找不到责任单位，或不在督办单位的下级范围内"})
    a = services.create_assignment(request.user, org, title=payload.title, due_on=payload.due_on, assignees=assignees, detail=payload.detail)
    return Status(201, _assignment_out(a, tracking_queries.rollup([a.task_list_id], timezone.localdate())[a.task_list_id]))
