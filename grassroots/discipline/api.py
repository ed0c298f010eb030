"""REST API of discipline under /api/v1/discipline/, scoped like the pages: leads only for the discipline role."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization

from . import services
from .models import Body, Burden, Campaign, Lead

router = Router(tags=["正风肃纪与减负"])


class LeadOut(Schema):
    id: int
    number: str
    org_id: int
    source: str
    category: str
    summary: str
    state: str
    received_on: datetime.date
    anonymous: bool
    finding: str
    concluded_on: datetime.date | None


class LeadPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[LeadOut]


class LeadIn(Schema):
    org_id: int
    source: str
    category: str
    summary: str
    detail: str
    received_on: datetime.date
    accused: str = ""
    name: str = ""
    phone: str = ""


class VerifyIn(Schema):
    verification: str
    verified_on: datetime.date
    finding: str


class ConcludeIn(Schema):
    conclusion: str
    concluded_on: datetime.date


class BodyOut(Schema):
    id: int
    org_id: int
    kind: str
    name: str
    issuing_dept: str
    set_up_on: datetime.date | None
    decision: str
    decided_on: datetime.date | None


class BurdenIn(Schema):
    org_id: int
    kind: str
    title: str
    issuing_dept: str
    times_per_year: int = 1
    duplicate: bool = False
    duplicate_of: str = ""


class BurdenOut(Schema):
    id: int
    org_id: int
    kind: str
    title: str
    issuing_dept: str
    times_per_year: int
    duplicate: bool
    duplicate_of: str
    state: str


class PublishIn(Schema):
    title: str
    body: str


class BulletinOut(Schema):
    id: int
    lead_id: int
    title: str
    body: str
    published_at: datetime.datetime | None


class CampaignRow(Schema):
    category: str
    label: str
    total: int
    concluded: int
    true: int
    published: int


class CampaignReportOut(Schema):
    id: int
    name: str
    org_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    rows: list[CampaignRow]
    totals: dict[str, int]


class BodyDecideIn(Schema):
    decision: str
    decided_on: datetime.date
    merged_into: str = ""
    note: str = ""


class BurdenDecideIn(Schema):
    state: str
    note: str = ""


def _lead_out(lead):
    return LeadOut(id=lead.pk, number=lead.number, org_id=lead.org_id, source=lead.source, category=lead.category, summary=lead.summary,
                   state=lead.state, received_on=lead.received_on, anonymous=lead.anonymous, finding=lead.finding, concluded_on=lead.concluded_on)


def _burden_out(b):
    return BurdenOut(id=b.pk, org_id=b.org_id, kind=b.kind, title=b.title, issuing_dept=b.issuing_dept, times_per_year=b.times_per_year,
                     duplicate=b.duplicate, duplicate_of=b.duplicate_of, state=b.state)


@router.get("/leads", response={200: LeadPage}, summary="问题线索（仅纪检人员，本范围）")
def lead_list(request, q: str = "", state: str = "", page: int = 1, page_size: int = 50):
    qs = Lead.objects.visible_to(request.user)
    if q:
        qs = qs.filter(summary__contains=q)
    if state:
        qs = qs.filter(state=state)
    return paginated(qs, page, page_size, lambda rows: [_lead_out(r) for r in rows])


@router.post("/leads", response={201: LeadOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记来信、来访、巡察线索")
def lead_create(request, payload: LeadIn):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.discipline_paths(request.user))), pk=payload.org_id)
    data = payload.model_dump()
    data.pop("org_id")
    return Status(201, _lead_out(services.register_lead(request.user, org, **data)))


def _lead(request, lead_id):
    return get_object_or_404(Lead.objects.visible_to(request.user), pk=lead_id)


@router.get("/leads/{lead_id}", response={200: LeadOut, 404: ErrorOut}, summary="问题线索")
def lead_detail(request, lead_id: int):
    return _lead_out(_lead(request, lead_id))


@router.post("/leads/{lead_id}/verify", response={200: LeadOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记核实情况")
def lead_verify(request, lead_id: int, payload: VerifyIn):
    return _lead_out(services.verify_lead(request.user, _lead(request, lead_id), **payload.model_dump()))


@router.post("/leads/{lead_id}/conclude", response={200: LeadOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="办结（生成通报）")
def lead_conclude(request, lead_id: int, payload: ConcludeIn):
    return _lead_out(services.conclude_lead(request.user, _lead(request, lead_id), **payload.model_dump()))


@router.get("/bodies", response={200: list[BodyOut]}, summary="挂牌和临时机构")
def body_list(request):
    return [BodyOut(id=b.pk, org_id=b.org_id, kind=b.kind, name=b.name, issuing_dept=b.issuing_dept, set_up_on=b.set_up_on, decision=b.decision,
                    decided_on=b.decided_on) for b in Body.objects.visible_to(request.user)[:1000]]


@router.get("/burdens", response={200: list[BurdenOut]}, summary="基层负担登记")
def burden_list(request):
    return [_burden_out(b) for b in Burden.objects.visible_to(request.user)[:1000]]


@router.post("/burdens", response={201: BurdenOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记基层负担")
def burden_create(request, payload: BurdenIn):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.manage_paths(request.user))), pk=payload.org_id)
    data = payload.model_dump()
    data.pop("org_id")
    return Status(201, _burden_out(services.report_burden(request.user, org, **data)))


@router.post("/leads/{lead_id}/publish", response={200: BulletinOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="公开办结线索的通报")
def lead_publish(request, lead_id: int, payload: PublishIn):
    lead = _lead(request, lead_id)
    bulletin = getattr(lead, "bulletin", None)
    if bulletin is None:
        from grassroots.core.errors import ValidationError

        raise ValidationError("线索尚未办结，还没有通报")
    b = services.publish_bulletin(request.user, bulletin, title=payload.title, body=payload.body)
    return BulletinOut(id=b.pk, lead_id=b.lead_id, title=b.title, body=b.body, published_at=b.published_at)


@router.get("/campaigns/{campaign_id}/report", response={200: CampaignReportOut, 404: ErrorOut}, summary="专项整治情况报告（按问题类别）")
def campaign_report(request, campaign_id: int):
    from .views import campaign_counts

    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)
    rows, totals = campaign_counts(request.user, campaign)
    return CampaignReportOut(id=campaign.pk, name=campaign.name, org_id=campaign.org_id, starts_on=campaign.starts_on, ends_on=campaign.ends_on,
                             rows=[CampaignRow(**r) for r in rows], totals=totals)


@router.post("/bodies/{body_id}/decide", response={200: BodyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="挂牌和临时机构：保留、整合或撤除")
def body_decide(request, body_id: int, payload: BodyDecideIn):
    b = services.decide_body(request.user, get_object_or_404(Body.objects.visible_to(request.user), pk=body_id), **payload.model_dump())
    return BodyOut(id=b.pk, org_id=b.org_id, kind=b.kind, name=b.name, issuing_dept=b.issuing_dept, set_up_on=b.set_up_on, decision=b.decision,
                   decided_on=b.decided_on)


@router.post("/burdens/{burden_id}/decide", response={200: BurdenOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="上级确认精简或保留")
def burden_decide(request, burden_id: int, payload: BurdenDecideIn):
    b = services.decide_burden(request.user, get_object_or_404(Burden.objects.visible_to(request.user), pk=burden_id), **payload.model_dump())
    return _burden_out(b)
