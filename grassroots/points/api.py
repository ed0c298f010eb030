"""REST API of points and star ratings, scoped like the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.core.errors import ValidationError
from grassroots.members.models import Member
from grassroots.orgs.models import Organization

from . import services
from .models import PointEntry, StarRating

router = Router(tags=["积分与星级"])


class EntryOut(Schema):
    id: int
    member_id: int
    member_name: str
    date: datetime.date
    year: int
    category: str
    category_label: str
    points: int
    source: str
    source_id: int | None
    description: str
    state: str


def _entry_out(e):
    return {
        "id": e.pk, "member_id": e.member_id, "member_name": e.member.name, "date": e.date, "year": e.year, "category": e.category,
        "category_label": e.get_category_display(), "points": e.points, "source": e.source, "source_id": e.source_id,
        "description": e.description, "state": e.state,
    }


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EntryOut]


class MineOut(Schema):
    member_id: int
    year: int
    total: int
    stars: int | None
    confirmed: bool
    thresholds: list[int]
    entries: list[EntryOut]


class EntryIn(Schema):
    category: str
    points: int
    date: datetime.date | None = None
    description: str


class MemberEntryIn(EntryIn):
    member_id: int


class DecideIn(Schema):
    approve: bool
    note: str = ""


class OrgYearIn(Schema):
    org_id: int
    year: int


class RatingOut(Schema):
    member_id: int
    member_name: str
    org_id: int
    year: int
    total: int
    stars: int
    thresholds: list[int]
    confirmed: bool


class RatingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RatingOut]


class RecomputeOut(Schema):
    created: int
    updated: int
    deleted: int


class RuleIn(Schema):
    meeting_present: int
    dues_on_time: int
    absent: int
    dues_unpaid: int
    star1: int
    star2: int
    star3: int
    star4: int
    star5: int


class RuleOut(RuleIn):
    org_id: int
    inherited_from: int | None


def _rating_out(r):
    return {
        "member_id": r.member_id, "member_name": r.member.name, "org_id": r.org_id, "year": r.year, "total": r.total, "stars": r.stars,
        "thresholds": r.thresholds, "confirmed": r.confirmed,
    }


def _record_org(request, org_id, field=None):
    org = Organization.objects.visible_to(request.user).filter(pk=org_id).first()
    if org is None or not scoping.covers(scoping.record_paths(request.user), org.path):
        if field:
            raise ValidationError({field: "找不到该党组织"})
        raise Http404("找不到该党组织")
    return org


@router.get("/mine", response={200: MineOut, 403: ErrorOut}, summary="我的积分（本人）")
def mine(request, year: int | None = Query(None, ge=2000, le=2100)):
    member = Member.objects.in_register().select_related("org").filter(user=request.user).first()
    if member is None:
        raise PermissionDenied("您的账号没有关联党员档案")
    year = year or timezone.localdate().year
    entries = list(PointEntry.objects.filter(member=member, year=year).select_related("member"))
    rating = StarRating.objects.filter(member=member, year=year).first()
    rule = services.rule_for(services.branch_of(member.org))
    return {
        "member_id": member.pk, "year": year, "total": sum(e.points for e in entries if e.state == PointEntry.State.APPROVED),
        "stars": rating.stars if rating else None, "confirmed": bool(rating and rating.confirmed), "thresholds": list(rule.thresholds),
        "entries": [_entry_out(e) for e in entries],
    }


@router.post("/mine/entries", response={201: EntryOut, 403: ErrorOut, 422: ErrorOut}, summary="本人申报积分（待支部审核）")
def propose_own(request, payload: EntryIn):
    member = Member.objects.in_register().select_related("org").filter(user=request.user).first()
    if member is None:
        raise PermissionDenied("您的账号没有关联党员档案")
    return Status(201, _entry_out(services.propose_entry(request.user, member, payload.model_dump())))


@router.get("/entries", response={200: EntryPage, 404: ErrorOut}, summary="积分记录")
def list_entries(request, org_id: int | None = None, year: int | None = None, state: str = "", page: int = 1, page_size: int = 50):
    qs = PointEntry.objects.visible_to(request.user).select_related("member")
    if org_id is not None:
        qs = qs.filter(org_path__startswith=_record_org(request, org_id).path)
    if year is not None:
        qs = qs.filter(year=year)
    if state in PointEntry.State.values:
        qs = qs.filter(state=state)
    return paginated(qs.order_by("-date", "-id"), page, page_size, lambda rows: [_entry_out(e) for e in rows])


@router.post("/entries", response={201: EntryOut, 403: ErrorOut, 422: ErrorOut}, summary="登记人工积分（待审核）")
def create_entry(request, payload: MemberEntryIn):
    member = Member.objects.visible_to(request.user).in_register().select_related("org").filter(pk=payload.member_id).first()
    if member is None:
        raise ValidationError({"member_id": "找不到该党员"})
    if member.user_id == request.user.pk and not scoping.can_manage_org(request.user, services.branch_of(member.org)):
        raise PermissionDenied("本人申报请使用 /points/mine/entries")
    return Status(201, _entry_out(services.propose_entry(request.user, member, payload.model_dump(exclude={"member_id"}))))


@router.post("/entries/{entry_id}/decide", response={200: EntryOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="审核人工积分")
def decide_entry(request, entry_id: int, payload: DecideIn):
    entry = get_object_or_404(PointEntry.objects.visible_to(request.user).select_related("member"), pk=entry_id)
    if not scoping.covers(scoping.record_paths(request.user), entry.org_path):
        raise Http404("找不到该积分记录")
    return _entry_out(services.decide_entry(request.user, entry, approve=payload.approve, note=payload.note))


@router.post("/recompute", response={200: RecomputeOut, 403: ErrorOut, 422: ErrorOut}, summary="重新计算自动积分（可重复运行）")
def recompute(request, payload: OrgYearIn):
    org = _record_org(request, payload.org_id, field="org_id")
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党组织积分的权限")
    services.check_recompute_size(org)
    created, updated, deleted = services.recompute_points(org, payload.year, actor=request.user)
    return {"created": created, "updated": updated, "deleted": deleted}


@router.get("/ratings", response={200: RatingPage, 404: ErrorOut}, summary="星级评定结果")
def list_ratings(request, org_id: int | None = None, year: int | None = None, page: int = 1, page_size: int = 50):
    qs = StarRating.objects.visible_to(request.user).select_related("member")
    if org_id is not None:
        qs = qs.filter(org_path__startswith=_record_org(request, org_id).path)
    if year is not None:
        qs = qs.filter(year=year)
    return paginated(qs, page, page_size, lambda rows: [_rating_out(r) for r in rows])


@router.post("/ratings", response={200: list[RatingOut], 403: ErrorOut, 422: ErrorOut}, summary="评定党支部党员星级（确认前可重新评定）")
def rate(request, payload: OrgYearIn):
    org = _record_org(request, payload.org_id, field="org_id")
    ratings = services.rate_branch(request.user, org, payload.year)
    return [_rating_out(r) for r in ratings]


@router.post("/ratings/confirm", response={200: RecomputeOut, 403: ErrorOut, 422: ErrorOut}, summary="确认星级评定结果")
def confirm(request, payload: OrgYearIn):
    org = _record_org(request, payload.org_id, field="org_id")
    n = services.confirm_rating(request.user, org, payload.year)
    return {"created": 0, "updated": n, "deleted": 0}


def _rule_out(org, rule):
    return {"org_id": org.pk, "inherited_from": None if rule.org_id == org.pk else rule.org_id,
            **{f: getattr(rule, f) for f in services.RULE_FIELDS}}


@router.get("/rules/{org_id}", response={200: RuleOut, 404: ErrorOut}, summary="积分规则与星级分数线（含继承）")
def get_rule(request, org_id: int):
    org = _record_org(request, org_id)
    return _rule_out(org, services.rule_for(org))


@router.put("/rules/{org_id}", response={200: RuleOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="设置本组织的积分规则")
def put_rule(request, org_id: int, payload: RuleIn):
    org = _record_org(request, org_id)
    rule = services.set_rule(request.user, org, payload.model_dump())
    return _rule_out(org, rule)



