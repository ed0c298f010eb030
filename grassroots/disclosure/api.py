"""REST API of disclosures, scoped like the pages; the chain verification is public (no login)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization

from . import schedule, services
from .choices import ROUTINE_CATEGORIES, Category
from .models import Disclosure, Question
from .public_views import public_units
from .views import _disclosure_queryset, _paths

router = Router(tags=["公开"])


class TableRow(Schema):
    item: str
    income: str = "0"
    expenditure: str = "0"


class TableRowIn(Schema):
    item: str
    income: Decimal = Decimal("0")
    expenditure: Decimal = Decimal("0")


class DisclosureOut(Schema):
    id: int
    org_id: int
    org_name: str
    category: str
    category_label: str
    title: str
    body: str
    period_label: str
    period_key: str
    table: list[TableRow] | None
    posted_on: datetime.date
    min_posting_days: int
    posting_ends_on: datetime.date
    deadline: datetime.date | None
    is_late: bool
    source_label: str
    source_url: str
    version: int
    supersedes_id: int | None
    correction_reason: str
    published_at: datetime.datetime
    seq: int
    prev_hash: str
    hash: str
    url: str
    verify_url: str


class DisclosurePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DisclosureOut]


class PublishIn(Schema):
    org_id: int
    category: Category
    title: str
    body: str
    period_label: str = ""
    period_key: str = ""
    min_posting_days: int | None = None
    table: list[TableRowIn] | None = None


class CorrectIn(Schema):
    title: str
    body: str
    reason: str
    table: list[TableRowIn] | None = None


class OverdueOut(Schema):
    org_id: int
    org_name: str
    category: str
    category_label: str
    period_key: str
    period_label: str
    due_on: datetime.date


class BreakOut(Schema):
    seq: int
    pk: int | None
    reason: str
    reason_label: str
    detail: str


class VerifyOut(Schema):
    org_id: int
    org_name: str
    ok: bool
    length: int
    first_broken: BreakOut | None


class QuestionOut(Schema):
    id: int
    disclosure_id: int
    name: str
    text: str
    state: str
    hidden_reason: str
    answer: str
    answered_at: datetime.datetime | None


class AnswerIn(Schema):
    answer: str


class HideIn(Schema):
    reason: str


def _out(d):
    return {
        "id": d.pk, "org_id": d.org_id, "org_name": d.org.name, "category": d.category, "category_label": d.get_category_display(),
        "title": d.title, "body": d.body, "period_label": d.period_label, "period_key": d.period_key,
        "table": d.table["rows"] if d.table else None, "posted_on": d.posted_on, "min_posting_days": d.min_posting_days,
        "posting_ends_on": d.posting_ends_on, "deadline": d.deadline, "is_late": d.is_late, "source_label": d.source_label,
        "source_url": d.source_url, "version": d.version, "supersedes_id": d.supersedes_id, "correction_reason": d.correction_reason,
        "published_at": d.published_at, "seq": d.seq, "prev_hash": d.prev_hash, "hash": d.hash, "url": d.get_absolute_url(),
        "verify_url": d.get_verify_url(),
    }


def _question_out(q):
    return {
        "id": q.pk, "disclosure_id": q.disclosure_id, "name": q.name, "text": q.text, "state": q.state, "hidden_reason": q.hidden_reason,
        "answer": q.answer, "answered_at": q.answered_at,
    }


def _visible(request, disclosure_id):
    return get_object_or_404(Disclosure.objects.visible_to(request.user).select_related("org"), pk=disclosure_id)


@router.get("/disclosures", response=DisclosurePage, summary="公开内容列表")
def list_disclosures(request, q: str = "", category: str = "", org_id: int | None = None, page: int = 1, page_size: int = 50):
    params = {"q": q, "category": category, "org": str(org_id) if org_id else ""}
    return paginated(_disclosure_queryset(request.user, params), page, page_size, lambda rows: [_out(d) for d in rows])


@router.get("/disclosures/{disclosure_id}", response=DisclosureOut, summary="公开内容详情")
def get_disclosure(request, disclosure_id: int):
    return _out(_visible(request, disclosure_id))


@router.post("/disclosures", response={201: DisclosureOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="发布例行公开（无附件）")
def publish(request, payload: PublishIn):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", _paths(request.user))), pk=payload.org_id)
    from django.core.exceptions import ValidationError

    if payload.category not in ROUTINE_CATEGORIES:
        raise ValidationError({"category": "“四议两公开”的决议和实施结果由议事决策流程发布"})
    d = services.publish_disclosure(
        request.user, org, category=payload.category, title=payload.title, body=payload.body, period_label=payload.period_label,
        period_key=payload.period_key, min_posting_days=payload.min_posting_days,
        table=[r.model_dump() for r in payload.table] if payload.table is not None else None,
    )
    return Status(201, _out(d))


@router.post("/disclosures/{disclosure_id}/correct", response={201: DisclosureOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="发布更正版本")
def correct(request, disclosure_id: int, payload: CorrectIn):
    d = _visible(request, disclosure_id)
    new = services.correct_disclosure(
        request.user, d, title=payload.title, body=payload.body, reason=payload.reason,
        table=[r.model_dump() for r in payload.table] if payload.table is not None else None,
    )
    return Status(201, _out(new))


@router.get("/overdue", response=list[OverdueOut], summary="逾期未公开的例行公开")
def overdue(request):
    rows = schedule.overdue_routine(scoping.read_paths(request.user), timezone.localdate())
    return [
        {"org_id": r["org"].pk, "org_name": r["org"].name, "category": r["category"], "category_label": Category(r["category"]).label,
         "period_key": r["period_key"], "period_label": r["period_label"], "due_on": r["due_on"]}
        for r in rows
    ]


@router.get("/disclosures/{disclosure_id}/questions", response=list[QuestionOut], summary="群众提问（含已屏蔽）")
def questions(request, disclosure_id: int):
    d = _visible(request, disclosure_id)
    return [_question_out(q) for q in d.questions.order_by("asked_at", "id")]


def _managed_question(request, question_id):
    return get_object_or_404(Question.objects.visible_to(request.user), pk=question_id)


@router.post("/questions/{question_id}/answer", response={200: QuestionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="公开答复")
def answer(request, question_id: int, payload: AnswerIn):
    return _question_out(services.answer_question(request.user, _managed_question(request, question_id), answer=payload.answer))


@router.post("/questions/{question_id}/hide", response={200: QuestionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="屏蔽提问")
def hide(request, question_id: int, payload: HideIn):
    return _question_out(services.hide_question(request.user, _managed_question(request, question_id), reason=payload.reason))


@router.get("/chains/{org_id}/verify", response={200: VerifyOut, 404: ErrorOut}, auth=None, summary="核验一个村（社区）的哈希链（公开）")
def verify_chain(request, org_id: int):
    org = get_object_or_404(public_units(), pk=org_id)
    broken = services.verify_org_chain(org)
    return {
        "org_id": org.pk, "org_name": org.name, "ok": broken is None, "length": Disclosure.objects.filter(org=org).count(),
        "first_broken": broken.as_dict() if broken else None,
    }
