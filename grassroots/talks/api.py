"""REST API of heart-to-heart talks: records, the worklist and yearly coverage, scoped like the pages."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from grassroots.core.api_support import ErrorOut, paginated
from grassroots.members.models import Member

from . import services
from . import worklist as work
from .choices import Flag, TalkKind
from .models import Talk
from .views import talks_org, talks_queryset

router = Router(tags=["谈心谈话"])


class TalkOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    org_name: str
    held_on: datetime.date
    kind: TalkKind
    talker_name: str
    talker_title: str
    place: str
    topic: str
    summary: str
    reasons: list[Flag]
    follow_up: str
    follow_up_due: datetime.date | None
    follow_up_done_on: datetime.date | None
    follow_up_result: str


class TalkPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TalkOut]


class TalkIn(Schema):
    member_id: int
    held_on: datetime.date
    kind: TalkKind = TalkKind.HEART
    talker_name: str
    talker_title: str = ""
    place: str = ""
    topic: str
    summary: str
    reasons: list[Flag] = []
    follow_up: str = ""
    follow_up_due: datetime.date | None = None


class AmendIn(Schema):
    reason: str
    held_on: datetime.date | None = None
    kind: TalkKind | None = None
    talker_name: str | None = None
    talker_title: str | None = None
    place: str | None = None
    topic: str | None = None
    summary: str | None = None
    reasons: list[Flag] | None = None
    follow_up: str | None = None
    follow_up_due: datetime.date | None = None


class FollowUpIn(Schema):
    done_on: datetime.date
    result: str


class FlaggedOut(Schema):
    member_id: int
    name: str
    org_id: int
    org_name: str
    flags: list[Flag]
    last_talk: datetime.date | None


class FlaggedPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[FlaggedOut]


class CoverageRow(Schema):
    org_id: int
    org_name: str
    members: int
    talked: int
    percent: int | None


def _talk_out(t):
    return {
        "id": t.pk, "member_id": t.member_id, "member_name": t.member.name, "org_id": t.org_id, "org_name": t.org.name,
        **{f: getattr(t, f) for f in services.FIELDS}, "follow_up_done_on": t.follow_up_done_on, "follow_up_result": t.follow_up_result,
    }


def _org(request, org_id):
    return talks_org(request, org_id or None)


def _visible_talk(request, talk_id):
    return get_object_or_404(Talk.objects.visible_to(request.user).select_related("member", "org"), pk=talk_id)


@router.get("/", response={200: TalkPage, 403: ErrorOut}, summary="谈心谈话记录（某组织及其下级）")
def list_talks(request, org_id: int | None = None, q: str = "", year: int | None = None, kind: TalkKind | None = None,
               follow_up_open: bool = False, page: int = 1, page_size: int = 50):
    params = {"q": q, "year": str(year or ""), "kind": kind or "", "follow_up": "open" if follow_up_open else ""}
    qs = talks_queryset(request.user, _org(request, org_id), params)
    return paginated(qs, page, page_size, lambda rows: [_talk_out(t) for t in rows])


@router.get("/worklist", response={200: FlaggedPage, 403: ErrorOut}, summary="谈心谈话工作清单：有问题提示而尚未谈话的党员")
def get_worklist(request, org_id: int | None = None, flag: Flag | None = None, page: int = 1, page_size: int = 50):
    org = _org(request, org_id)
    rows = work.worklist_rows(org, flag.value if flag else None)
    count = work.kept_flag_counts(org)[flag.value if flag else "total"]

    def convert(rows):
        return [{"member_id": m.pk, "name": m.name, "org_id": m.org_id, "org_name": m.org.name,
                 "flags": [f for f, _since in work.row_flags(m)], "last_talk": m.last_talk} for m in rows]

    return paginated(rows, page, page_size, convert, count=count)


@router.get("/coverage", response={200: list[CoverageRow], 403: ErrorOut}, summary="年度谈心谈话覆盖（各下级组织）")
def get_coverage(request, org_id: int | None = None, year: int | None = None):
    org = _org(request, org_id)
    rows = work.coverage(org, year or timezone.localdate().year)
    return [{"org_id": r["org"].pk, "org_name": r["org"].name, "members": r["total"], "talked": r["talked"], "percent": r["percent"]}
            for r in rows]


@router.get("/{talk_id}", response=TalkOut, summary="谈话记录详情")
def get_talk(request, talk_id: int):
    return _talk_out(_visible_talk(request, talk_id))


@router.post("/", response={201: TalkOut, 403: ErrorOut, 422: ErrorOut}, summary="登记谈心谈话")
def create_talk(request, payload: TalkIn):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("org"), pk=payload.member_id)
    talk = services.record_talk(request.user, member, payload.dict(exclude={"member_id"}))
    return Status(201, _talk_out(talk))


@router.post("/{talk_id}/amend", response={200: TalkOut, 403: ErrorOut, 422: ErrorOut}, summary="更正谈话记录（须填写理由）")
def amend_talk(request, talk_id: int, payload: AmendIn):
    data = {k: v for k, v in payload.dict(exclude={"reason"}).items() if v is not None}
    return _talk_out(services.amend_talk(request.user, _visible_talk(request, talk_id), data, payload.reason))


@router.post("/{talk_id}/follow-up", response={200: TalkOut, 403: ErrorOut, 422: ErrorOut}, summary="登记后续措施落实情况")
def follow_up(request, talk_id: int, payload: FollowUpIn):
    return _talk_out(services.complete_follow_up(request.user, _visible_talk(request, talk_id), payload.done_on, payload.result))
