"""REST API of leaders under /api/v1/leaders/, scoped like the pages."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization

from . import queries, services
from .choices import Body, Source, Stage
from .models import Election, Reserve

router = Router(tags=["带头人队伍"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CandidateOut(Schema):
    id: int
    body: str
    seat: str
    name: str
    nominated: bool
    votes: int | None
    elected: bool


class ElectionOut(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    stage: str
    stage_label: str
    vote_on: datetime.date | None
    roll_size: int
    roll_hash: str
    party_cast: int | None
    villagers_cast: int | None
    term_start: datetime.date | None
    term_end: datetime.date | None


class ElectionDetailOut(ElectionOut):
    candidates: list[CandidateOut]


class ElectionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ElectionOut]


def _out(e):
    return {"id": e.pk, "org_id": e.org_id, "org_name": e.org.name, "title": e.title, "stage": e.stage, "stage_label": e.get_stage_display(),
            "vote_on": e.vote_on, "roll_size": e.roll_size, "roll_hash": e.roll_hash, "party_cast": e.party_cast,
            "villagers_cast": e.villagers_cast, "term_start": e.term_start, "term_end": e.term_end}


def _election(request, election_id):
    return get_object_or_404(Election.objects.visible_to(request.user).select_related("org"), pk=election_id)


def _detail(e):
    return {**_out(e), "candidates": list(e.candidates.all())}


@router.get("/elections", response=ElectionPage, summary="换届选举列表")
def list_elections(request, q: str = "", stage: Stage | None = None, page: int = 1, page_size: int = 50):
    qs = Election.objects.visible_to(request.user).select_related("org")
    if q:
        qs = qs.filter(org__name__icontains=q)
    if stage:
        qs = qs.filter(stage=stage)
    return paginated(qs, page, page_size, lambda rows: [_out(e) for e in rows])


@router.get("/elections/{election_id}", response=ElectionDetailOut, summary="换届选举详情（含候选人和得票）")
def get_election(request, election_id: int):
    return _detail(_election(request, election_id))


@router.post("/elections/{election_id}/advance", response={200: ElectionDetailOut, **ERRORS}, summary="完成当前环节，进入下一环节")
def advance(request, election_id: int):
    return _detail(services.advance(request.user, _election(request, election_id)))


class CountIn(Schema):
    body: Body
    ballots_cast: int
    votes: dict[int, int]


@router.post("/elections/{election_id}/counts", response={200: ElectionDetailOut, **ERRORS}, summary="录入一个委员会的计票结果")
def record_count(request, election_id: int, payload: CountIn):
    e = services.record_count(request.user, _election(request, election_id), body=payload.body, ballots_cast=payload.ballots_cast,
                              votes=payload.votes)
    return _detail(e)


class ReserveOut(Schema):
    id: int
    org_id: int
    org_name: str
    name: str
    gender: str
    birth_date: datetime.date
    education: str
    source: str
    id_number_masked: str
    phone_masked: str
    entered_on: datetime.date
    left_on: datetime.date | None
    left_reason: str


class ReservePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ReserveOut]


def _reserve_out(r):
    return {**{f: getattr(r, f) for f in ReserveOut.model_fields if f != "org_name"}, "org_name": r.org.name}


@router.get("/reserves", response=ReservePage, summary="后备人才（证件号码、电话脱敏）")
def list_reserves(request, q: str = "", source: Source | None = None, include_left: bool = False, page: int = 1, page_size: int = 50):
    qs = Reserve.objects.visible_to(request.user).select_related("org")
    if q:
        qs = qs.filter(name__icontains=q)
    if source:
        qs = qs.filter(source=source)
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    return paginated(qs, page, page_size, lambda rows: [_reserve_out(r) for r in rows])


class ReserveIn(Schema):
    org_id: int
    name: str
    gender: str
    birth_date: datetime.date
    source: Source
    education: str = ""
    id_number: str = ""
    phone: str = ""
    target_post: str = ""
    entered_on: datetime.date | None = None
    reason: str = ""


@router.post("/reserves", response={201: ReserveOut, **ERRORS}, summary="后备人才入库")
def create_reserve(request, payload: ReserveIn):
    org = Organization.objects.filter(scoping.path_q("path", scoping.manage_paths(request.user))).filter(pk=payload.org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该村（社区），或不在您的管理范围内"})
    return Status(201, _reserve_out(services.add_reserve(request.user, org, payload.model_dump(exclude={"org_id"}))))


class StatisticsOut(Schema):
    org_id: int
    villages: int
    elections: int
    elected: int
    one_shoulder: int
    one_shoulder_share: str
    party_people: int
    cross: int
    cross_share: str
    women_share: str
    new_share: str
    college_share: str
    under40: int
    over55: int
    reserve_shortfall: list[str]


@router.get("/statistics", response=StatisticsOut, summary="两委班子统计（一肩挑、交叉任职、年龄、学历、女性、新进）")
def statistics(request, org_id: int | None = None):
    roots = Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user)))
    org = get_object_or_404(roots, pk=org_id) if org_id else roots.order_by("depth", "path").first()
    if org is None:
        return {"org_id": 0, "villages": 0, "elections": 0, "elected": 0, "one_shoulder": 0, "one_shoulder_share": "0", "party_people": 0,
                "cross": 0, "cross_share": "0", "women_share": "0",
                "new_share": "0", "college_share": "0", "under40": 0, "over55": 0, "reserve_shortfall": []}
    s = queries.statistics(org.path, timezone.localdate())
    paths_q = scoping.path_q("path", scoping.record_paths(request.user)) & scoping.path_q("path", [org.path])
    return {"org_id": org.pk, **{k: s[k] for k in ("villages", "elections", "elected", "one_shoulder", "party_people", "cross", "under40", "over55")},
            **{k: str(s[k]) for k in ("one_shoulder_share", "cross_share", "women_share", "new_share", "college_share")},
            "reserve_shortfall": [o.name for o in queries.reserve_shortfall(paths_q)[:200]]}
