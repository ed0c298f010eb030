"""REST API of 四议两公开: matters, steps, the two disclosures, supervisory opinions and oversight, scoped like the pages."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orglife.models import Meeting
from grassroots.orgs.models import Organization

from . import queries, rules, services
from .choices import Body, Category, MatterState, OpinionKind, StepKind
from .models import Matter, Opinion, read_q
from .views import _visible_matter, _visible_step, oversight_data  # the pages' scoped look-ups, shared

router = Router(tags=["四议两公开"])


class StepOut(Schema):
    id: int
    round: int
    seq: int
    kind: str
    label: str
    state: str
    held_on: datetime.date
    place: str
    content: str
    body: str
    attendees: list[str]
    entitled: int
    present: int
    households: int
    households_present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    quorum: bool | None
    passed: bool | None
    outcome: str
    amount: Decimal | None
    after_failure: str
    disclosure_id: int | None
    disclosure_url: str | None


class MatterOut(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    category: str
    category_label: str
    summary: str
    amount: Decimal | None
    planned_completion: datetime.date | None
    step_set: str
    state: str
    state_label: str
    round: int
    stage: str
    stage_since: datetime.date
    overdue: str
    public_url: str | None
    next_steps: list[str]


class MatterDetailOut(MatterOut):
    steps: list[StepOut]


class MatterPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MatterOut]


class MatterIn(Schema):
    org_id: int
    title: str
    category: Category
    summary: str = ""
    amount: Decimal | None = None
    planned_completion: datetime.date | None = None
    merged: bool = False


class StepIn(Schema):
    kind: StepKind
    held_on: datetime.date
    place: str = ""
    content: str
    meeting_id: int | None = None
    attendees: list[str] = []
    roll: list[int] = []
    materials_sent_on: datetime.date | None = None
    body: Body | None = None
    entitled: int = 0
    present: int = 0
    households_present: int = 0
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


class AmendIn(Schema):
    field: str
    value: str
    reason: str


class FailureIn(Schema):
    choice: str
    reason: str


class PublishIn(Schema):
    kind: StepKind
    title: str
    body: str
    held_on: datetime.date | None = None
    amount: Decimal | None = None
    min_posting_days: int | None = None


class OpinionIn(Schema):
    kind: OpinionKind
    text: str


class OpinionOut(Schema):
    id: int
    kind: str
    text: str
    author_name: str
    created_at: datetime.datetime
    step_id: int | None
    disclosure_id: int | None
    answer: str
    answered_at: datetime.datetime | None


class AnswerIn(Schema):
    answer: str


class CountOut(Schema):
    label: str
    count: int


class OversightOut(Schema):
    org_id: int
    total: int
    by_stage: list[CountOut]
    by_category: list[CountOut]
    stuck: list[MatterOut]
    overdue: list[MatterOut]


def _step_out(s):
    return {
        **{f: getattr(s, f) for f in StepOut.model_fields if f not in ("label", "disclosure_url", "attendees")},
        "label": s.label, "attendees": s.attendees, "disclosure_url": s.disclosure.get_absolute_url() if s.disclosure_id else None,
    }


def _matter_out(m, today=None):
    overdue = getattr(m, "overdue", None)
    if overdue is None:
        overdue = queries.with_overdue(Matter.objects.filter(pk=m.pk), today or timezone.localdate()).values_list("overdue", flat=True).first() or ""
    return {
        "id": m.pk, "org_id": m.org_id, "org_name": m.org.name, "title": m.title, "category": m.category, "category_label": m.get_category_display(),
        "summary": m.summary, "amount": m.amount, "planned_completion": m.planned_completion, "step_set": m.step_set, "state": m.state,
        "state_label": m.get_state_display(), "round": m.round, "stage": m.stage, "stage_since": m.stage_since, "overdue": overdue,
        "public_url": m.public_url() if m.public_since else None,
        "next_steps": services.allowed_kinds(m) if m.state in (MatterState.DELIBERATING, MatterState.RESOLVED, MatterState.IMPLEMENTING) else [],
    }


def _detail(m):
    steps = m.steps.select_related("disclosure", "matter").order_by("round", "seq")
    return {**_matter_out(m), "steps": [_step_out(s) for s in steps]}


@router.get("/matters", response=MatterPage, summary="事项列表")
def list_matters(
    request, q: str = "", category: Category | None = None, state: MatterState | None = None, overdue: bool = False,
    org_id: int | None = Query(None, description="只列出该组织及其下级的事项"), page: int = 1, page_size: int = 50,
):
    today = timezone.localdate()
    qs = queries.matter_queryset(request.user, {"q": q, "category": category or "", "state": state or "", "overdue": overdue}, today)
    if org_id is not None:
        org = get_object_or_404(Organization.objects.filter(read_q(request.user, "path")), pk=org_id)
        qs = qs.filter(org_path__startswith=org.path)
    return paginated(qs.prefetch_related("steps"), page, page_size, lambda rows: [_matter_out(m) for m in rows])


@router.get("/matters/{matter_id}", response=MatterDetailOut, summary="事项详情（含各环节）")
def get_matter(request, matter_id: int):
    return _detail(_visible_matter(request, matter_id))


@router.post("/matters", response={201: MatterDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记事项")
def create_matter(request, payload: MatterIn):
    org = Organization.objects.filter(read_q(request.user, "path")).filter(pk=payload.org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该党组织，或不在您的管理范围内"})
    matter = services.create_matter(request.user, org, payload.model_dump(exclude={"org_id"}))
    return Status(201, _detail(matter))


@router.post("/matters/{matter_id}/steps", response={201: StepOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记下一个议事环节")
def record_step(request, matter_id: int, payload: StepIn):
    matter = _visible_matter(request, matter_id)
    data = payload.model_dump(exclude={"kind", "meeting_id"})
    data["meeting"] = None
    if payload.meeting_id is not None:
        data["meeting"] = Meeting.objects.filter(pk=payload.meeting_id, org_path__startswith=matter.org_path).first()
        if data["meeting"] is None:
            raise ValidationError({"meeting_id": "找不到该会议，或不在您的管理范围内"})
    step = services.record_step(request.user, matter, payload.kind, data)
    return Status(201, _step_out(step))


@router.post("/steps/{step_id}/confirm", response={200: StepOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="确认环节")
def confirm_step(request, step_id: int):
    return _step_out(services.confirm_step(request.user, _visible_step(request, step_id)))


@router.post("/steps/{step_id}/amend", response={201: AmendIn, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="更正已确认的环节（附理由）")
def amend_step(request, step_id: int, payload: AmendIn):
    a = services.amend_step(request.user, _visible_step(request, step_id), field=payload.field, value=payload.value, reason=payload.reason)
    return Status(201, {"field": a.field, "value": a.after, "reason": a.reason})


@router.post("/matters/{matter_id}/after-failure", response={200: MatterOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="表决未通过后：终止（end）或重新提议（new_round）")
def after_failure(request, matter_id: int, payload: FailureIn):
    return _matter_out(services.decide_after_failure(request.user, _visible_matter(request, matter_id), payload.choice, payload.reason))


@router.post("/matters/{matter_id}/disclosures", response={201: StepOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="发布决议公开、实施情况公开或实施结果公开")
def publish(request, matter_id: int, payload: PublishIn):
    matter = _visible_matter(request, matter_id)
    if payload.kind not in rules.DISCLOSURE_STEP_KINDS:
        raise ValidationError({"kind": "只能发布公开环节"})
    step = services.publish(request.user, matter, payload.kind, title=payload.title, body=payload.body, held_on=payload.held_on,
                            amount=payload.amount, min_posting_days=payload.min_posting_days)
    return Status(201, _step_out(step))


@router.post("/matters/{matter_id}/close", response={200: MatterOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="办结事项")
def close_matter(request, matter_id: int):
    return _matter_out(services.close_matter(request.user, _visible_matter(request, matter_id)))


def _opinion_out(o):
    return {f: getattr(o, f) for f in OpinionOut.model_fields}


@router.get("/matters/{matter_id}/opinions", response=list[OpinionOut], summary="事项的监督意见")
def matter_opinions(request, matter_id: int):
    matter = _visible_matter(request, matter_id)
    from django.db.models import Q

    return [_opinion_out(o) for o in Opinion.objects.filter(Q(matter=matter) | Q(disclosure__source_url=matter.public_url()))]


@router.post("/steps/{step_id}/opinions", response={201: OpinionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="对环节提出意见或异议（村务监督委员会）")
def step_opinion(request, step_id: int, payload: OpinionIn):
    step = _visible_step(request, step_id)
    return Status(201, _opinion_out(services.add_opinion(request.user, step=step, kind=payload.kind, text=payload.text)))


@router.post("/disclosures/{disclosure_id}/opinions", response={201: OpinionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="对公开内容提出意见或异议（村务监督委员会）")
def disclosure_opinion(request, disclosure_id: int, payload: OpinionIn):
    from grassroots.disclosure.models import Disclosure

    disclosure = get_object_or_404(Disclosure.objects.filter(scoping.path_q("org_path", scoping.monitor_paths(request.user))), pk=disclosure_id)
    return Status(201, _opinion_out(services.add_opinion(request.user, disclosure=disclosure, kind=payload.kind, text=payload.text)))


@router.post("/opinions/{opinion_id}/answer", response={200: OpinionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="答复意见或异议")
def answer(request, opinion_id: int, payload: AnswerIn):
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user), pk=opinion_id)
    return _opinion_out(services.answer_opinion(request.user, opinion, payload.answer))


@router.get("/oversight", response={200: OversightOut, 403: ErrorOut, 404: ErrorOut}, summary="监督统计（按环节、类别、滞留、逾期）")
def oversight(request, org_id: int | None = None):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看监督统计的权限")
    if org_id is None:
        org = Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))).order_by("depth", "path").first()
        if org is None:
            raise PermissionDenied("您没有查看监督统计的权限")
    else:
        org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=org_id)
    today = timezone.localdate()
    data = oversight_data(request.user, org, today)
    prefetch_related_objects([*data["stuck"], *data["overdue_matters"]], "steps")  # next_steps without a query per matter
    return {
        "org_id": org.pk, "total": data["total"], "by_stage": [{"label": lbl, "count": n} for lbl, n in data["stages"]],
        "by_category": [{"label": lbl, "count": n} for lbl, n in data["categories"]],
        "stuck": [_matter_out(m, today) for m in data["stuck"]], "overdue": [_matter_out(m, today) for m in data["overdue_matters"]],
    }


# ---- village settings, roll and supervisory committee --------------------------------------------------------------


class SettingsIn(Schema):
    step_set: str = ""
    representatives: list[str] = []
    adults: int = 0
    households: int = 0
    committee_members: list[str] = []


class CommitteeMemberOut(Schema):
    id: int
    name: str
    is_chair: bool
    username: str | None
    term_start: datetime.date
    term_end: datetime.date | None


class CommitteeOut(Schema):
    id: int
    term_start: datetime.date
    term_end: datetime.date
    chosen_by: str
    members: list[CommitteeMemberOut]


class VillageOut(Schema):
    org_id: int
    step_set: str
    step_set_label: str
    steps: list[str]
    bodies: list[str]
    representatives: list[str]
    adults: int
    households: int
    committee_members: list[str]
    committees: list[CommitteeOut]


class CommitteeIn(Schema):
    term_start: datetime.date
    term_end: datetime.date
    chosen_by: str


class CommitteeMemberIn(Schema):
    name: str
    is_chair: bool = False
    username: str = ""
    declares_no_relative: bool = False
    term_start: datetime.date | None = None


def _village_org(request, org_id):
    org = get_object_or_404(Organization.objects.filter(read_q(request.user, "path")), pk=org_id)
    if not services.is_village_org(org):
        raise ValidationError({"org_id": "只有村、社区党组织有议事设置"})
    return org


def _village_out(org):
    from .models import SupervisoryCommittee

    row = services.settings_for(org)
    step_set = rules.step_set_for(org.category, row.step_set)
    committees = SupervisoryCommittee.objects.filter(org=org).prefetch_related("members__user")
    return {
        "org_id": org.pk, "step_set": step_set.code, "step_set_label": step_set.label, "steps": [s.label for s in step_set.steps],
        "bodies": list(step_set.bodies), "representatives": row.representatives, "adults": row.adults, "households": row.households,
        "committee_members": row.committee_members,
        "committees": [
            {"id": c.pk, "term_start": c.term_start, "term_end": c.term_end, "chosen_by": c.chosen_by, "members": [
                {"id": m.pk, "name": m.name, "is_chair": m.is_chair, "username": m.user.username if m.user else None, "term_start": m.term_start,
                 "term_end": m.term_end} for m in c.members.all()
            ]}
            for c in committees
        ],
    }


@router.get("/villages/{org_id}", response=VillageOut, summary="村（社区）议事规则、名册与村务监督委员会")
def get_village(request, org_id: int):
    return _village_out(_village_org(request, org_id))


@router.post("/villages/{org_id}/settings", response={200: VillageOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="保存议事规则与名册")
def save_village(request, org_id: int, payload: SettingsIn):
    org = _village_org(request, org_id)
    services.save_settings(request.user, org, payload.model_dump())
    return _village_out(org)


@router.post("/villages/{org_id}/committees", response={201: VillageOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记村务监督委员会（一届）")
def create_committee(request, org_id: int, payload: CommitteeIn):
    org = _village_org(request, org_id)
    services.create_committee(request.user, org, **payload.model_dump())
    return Status(201, _village_out(org))


@router.post("/committees/{committee_id}/members", response={201: CommitteeMemberOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="登记村务监督委员会成员（村（居）委会成员及其近亲属不得担任）")
def add_committee_member(request, committee_id: int, payload: CommitteeMemberIn):
    from .models import SupervisoryCommittee

    committee = get_object_or_404(SupervisoryCommittee.objects.visible_to(request.user).select_related("org"), pk=committee_id)
    data = payload.model_dump()
    username = data.pop("username")
    m = services.add_committee_member(request.user, committee, user=services.account_named(username), **data)
    return Status(201, {"id": m.pk, "name": m.name, "is_chair": m.is_chair, "username": username or None, "term_start": m.term_start,
                        "term_end": m.term_end})
