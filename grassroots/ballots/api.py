"""REST API of ballots under /api/v1/ballots/, scoped like the pages (every write calls a service). Token voters
vote on the page of their link; the API is for accounts."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from grassroots.core.api_support import paginated

from . import rules, services
from .models import Round, Voter

router = Router(tags=["评议与表决"])


class GradeOut(Schema):
    key: str
    label: str
    score: str


class SubjectOut(Schema):
    key: str
    label: str


class RoundOut(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    source: str
    source_id: int | None
    state: str
    state_label: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    grade_set: list[GradeOut]
    subjects: list[SubjectOut]


class RoundPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RoundOut]


class TurnoutOut(Schema):
    group: str
    label: str
    roll: int
    electronic: int
    paper: int
    turnout: Decimal | None


class SubjectResultOut(Schema):
    key: str
    label: str
    counts: dict[str, dict[str, int]]
    totals: dict[str, int]
    total: int
    shares: dict[str, Decimal | None]
    group_means: dict[str, Decimal]
    score: Decimal | None


class RoundDetailOut(RoundOut):
    group_weights: dict[str, str]
    roll_hash: str
    turnout: list[TurnoutOut]
    results: list[SubjectResultOut] | None  # once the round is closed


class MyRoundOut(RoundOut):
    group: str
    voted_on: datetime.date | None
    window_error: str | None


def _round_out(r):
    return {
        "id": r.pk, "org_id": r.org_id, "org_name": r.org.name, "title": r.title, "source": r.source, "source_id": r.source_id,
        "state": r.state, "state_label": r.get_state_display(), "opens_at": r.opens_at, "closes_at": r.closes_at,
        "grade_set": r.grade_set, "subjects": [{"key": s.key, "label": s.label} for s in r.subjects.all()],
    }


def _detail(r):
    res = r.results
    return {
        **_round_out(r), "group_weights": r.group_weights, "roll_hash": r.roll_hash,
        "turnout": [vars(g) for g in res.groups],
        "results": [{k: getattr(s, k) for k in ("key", "label", "counts", "totals", "total", "shares", "group_means", "score")}
                    for s in res.subjects] if r.shows_results else None,
    }


def _visible(request, ballot_round_id):
    return get_object_or_404(Round.objects.visible_to(request.auth).select_related("org"), pk=ballot_round_id)


class Paging(Schema):
    state: str = ""
    page: int = 1
    page_size: int = 50


@router.get("/rounds", response=RoundPage, summary="评议列表（组织方）")
def list_rounds(request, filters: Query[Paging]):
    qs = Round.objects.visible_to(request.auth).select_related("org").prefetch_related("subjects")
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginated(qs, filters.page, filters.page_size, lambda rows: [_round_out(r) for r in rows])


@router.get("/mine", response=list[MyRoundOut], summary="我参加的评议")
def my_rounds(request):
    voters = Voter.objects.filter(user=request.auth).exclude(round__state="draft").select_related("round__org").prefetch_related("round__subjects")
    return [{**_round_out(v.round), "group": v.group, "voted_on": v.voted_at, "window_error": services.window_error(v.round)} for v in voters[:200]]


@router.get("/rounds/{ballot_round_id}", response=RoundDetailOut, summary="评议详情、参评率与结果")
def get_round(request, ballot_round_id: int):
    return _detail(_visible(request, ballot_round_id))


class CastIn(Schema):
    choices: dict[str, str]


class CastOut(Schema):
    detail: str


@router.post("/rounds/{ballot_round_id}/cast", response={201: CastOut}, summary="投票（每人一票，不记名）")
def cast(request, ballot_round_id: int, payload: CastIn):
    round = get_object_or_404(Round.objects.for_voter(request.auth).distinct(), pk=ballot_round_id)
    services.cast(round, payload.choices, user=request.auth)
    return Status(201, {"detail": "投票成功"})


class VotersIn(Schema):
    group: str
    tokens: int = 0
    paper: int = 0
    user_ids: list[int] = []


class TokensOut(Schema):
    tokens: list[str]


@router.post("/rounds/{ballot_round_id}/voters", response={201: TokensOut}, summary="增加评议人（返回新评议码，只返回这一次）")
def add_voters(request, ballot_round_id: int, payload: VotersIn):
    from django.core.exceptions import ValidationError

    from grassroots.accounts.models import User

    round = _visible(request, ballot_round_id)
    if not services.can_manage_round(request.auth, round):
        raise PermissionDenied("您没有管理该评议的权限")
    users = list(User.objects.filter(pk__in=payload.user_ids, is_active=True))
    if len(users) != len(set(payload.user_ids)):
        raise ValidationError({"user_ids": "找不到部分评议人账号"})
    return Status(201, {"tokens": services.add_voters(request.auth, round, payload.group, users=users, tokens=payload.tokens, paper=payload.paper)})


class PaperIn(Schema):
    group: str
    counts: dict[str, dict[str, int]]


@router.post("/rounds/{ballot_round_id}/paper", response=RoundDetailOut, summary="录入纸质选票计票（替换该类别此前的计票）")
def paper(request, ballot_round_id: int, payload: PaperIn):
    round = _visible(request, ballot_round_id)
    services.enter_paper_counts(request.auth, round, payload.group, payload.counts)
    return _detail(Round.objects.select_related("org").get(pk=round.pk))


class EmptyIn(Schema):
    pass


@router.post("/rounds/{ballot_round_id}/open", response=RoundDetailOut, summary="开始评议（冻结名册）")
def open_round(request, ballot_round_id: int, payload: EmptyIn):
    return _detail(services.open_round(request.auth, _visible(request, ballot_round_id)))


@router.post("/rounds/{ballot_round_id}/close", response=RoundDetailOut, summary="截止评议")
def close_round(request, ballot_round_id: int, payload: EmptyIn):
    return _detail(services.close_round(request.auth, _visible(request, ballot_round_id)))


@router.post("/rounds/{ballot_round_id}/publish", response=RoundDetailOut, summary="公布结果")
def publish(request, ballot_round_id: int, payload: EmptyIn):
    return _detail(services.publish(request.auth, _visible(request, ballot_round_id)))


__all__ = ["router", "rules"]
