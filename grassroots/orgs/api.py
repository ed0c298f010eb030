import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.core.models import AuditLog

from . import figures, services
from .choices import Category, Kind, PostTitle
from .forms import OrganizationForm
from .models import Organization, Post
from .views import search_queryset

router = Router(tags=["党组织"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: Kind
    kind_label: str
    category: Category
    category_label: str
    parent_id: int | None
    depth: int
    path: str
    has_children: bool
    established_on: datetime.date | None
    term_start: datetime.date | None
    term_end: datetime.date | None
    address: str
    contact_person: str
    contact_phone: str
    is_active: bool
    dissolved_on: datetime.date | None
    dissolved_reason: str


class OrgPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OrgOut]


class OrgIn(Schema):
    name: str
    short_name: str = ""
    code: str
    kind: str
    category: str
    established_on: datetime.date | None = None
    term_start: datetime.date | None = None
    term_end: datetime.date | None = None
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""


class OrgCreateIn(OrgIn):
    parent_id: int | None = None


class OrgPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    code: str | None = None
    kind: str | None = None
    category: str | None = None
    established_on: datetime.date | None = None
    term_start: datetime.date | None = None
    term_end: datetime.date | None = None
    address: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None


class MoveIn(Schema):
    parent_id: int


class DissolveIn(Schema):
    dissolved_on: datetime.date
    reason: str


class CountsOut(Schema):
    total: int
    probationary: int
    full: int
    female: int
    minority: int
    under_35: int


class PostOut(Schema):
    id: int
    org_id: int
    title: PostTitle
    title_label: str
    holder_id: int
    holder_name: str
    started_on: datetime.date
    ended_on: datetime.date | None
    note: str


class PostIn(Schema):
    title: str
    holder_id: int
    started_on: datetime.date
    note: str = ""


class EndPostIn(Schema):
    ended_on: datetime.date


class HistoryOut(Schema):
    time: datetime.datetime
    actor: str
    action: str
    action_label: str
    request_id: str
    client_ip: str
    before: dict | None
    after: dict | None
    note: str


def org_items(orgs):
    """Output rows for a page of organizations; parents are found in one query."""
    parent_paths = {o.parent_path for o in orgs if o.depth > 1}
    parents = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "id"))
    return [_org_out(o, parents.get(o.parent_path)) for o in orgs]


def _org_out(o, parent_id):
    return {
        **{f: getattr(o, f) for f in OrgOut.model_fields if hasattr(o, f) and f not in ("parent_id", "has_children")},
        "kind_label": o.get_kind_display(),
        "category_label": o.get_category_display(),
        "parent_id": parent_id,
        "has_children": o.numchild > 0,
    }


def _visible(request, org_id):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=org_id)


def _validated(data, instance=None):
    """Run the same form the pages use; its Chinese messages become the API's 422 body."""
    form = OrganizationForm(data={k: ("" if v is None else v) for k, v in data.items()}, instance=instance)
    if not form.is_valid():
        raise ValidationError({f: list(e) for f, e in form.errors.items()})
    return form.cleaned_data


@router.get("/", response=OrgPage, summary="党组织列表")
def list_orgs(
    request,
    within: int | None = Query(None, description="只列出该党组织及其下级"),
    q: str = Query("", description="名称、简称、代码或拼音首字母"),
    kind: Kind | None = None,
    category: Category | None = None,
    active: bool | None = None,
    page: int = 1,
    page_size: int = 50,
):
    qs = search_queryset(request.user, q) if q else Organization.objects.visible_to(request.user)
    if within is not None:
        qs = qs.within(_visible(request, within))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if active is not None:
        qs = qs.filter(is_active=active)
    return paginated(qs.order_by("path"), page, page_size, org_items)


@router.get("/{org_id}", response=OrgOut, summary="党组织详情")
def get_org(request, org_id: int):
    return org_items([_visible(request, org_id)])[0]


@router.get("/{org_id}/children", response=list[OrgOut], summary="直属下级党组织")
def org_children(request, org_id: int, active: bool | None = None):
    org = _visible(request, org_id)
    qs = Organization.objects.children_of(org)
    if active is not None:
        qs = qs.filter(is_active=active)
    return [_org_out(o, org.pk) for o in qs]


@router.get("/{org_id}/counts", response=CountsOut, summary="党员数（含全部下级）")
def org_counts(request, org_id: int):
    return figures.subtree_counts(_visible(request, org_id).path)


@router.get("/{org_id}/history", response={200: list[HistoryOut], 403: ErrorOut}, summary="变更历史")
def org_history(request, org_id: int):
    org = _visible(request, org_id)
    if not scoping.can_audit_org(request.user, org):
        raise PermissionDenied("您没有查看该组织历史的权限")
    return [
        {
            "time": e.time, "actor": e.actor_name, "action": e.action, "action_label": e.get_action_display(),
            "request_id": e.request_id, "client_ip": e.client_ip, "before": e.before, "after": e.after, "note": e.note,
        }
        for e in AuditLog.objects.for_object(org)[:200]
    ]


@router.post("/", response={201: OrgOut, 403: ErrorOut, 422: ErrorOut}, summary="新建党组织")
def create_org(request, payload: OrgCreateIn):
    data = payload.model_dump()
    parent_id = data.pop("parent_id")
    parent = _visible(request, parent_id) if parent_id else None
    org = services.create_organization(request.user, parent, _validated(data))
    return Status(201, org_items([org])[0])


@router.patch("/{org_id}", response={200: OrgOut, 403: ErrorOut, 422: ErrorOut}, summary="修改党组织")
def update_org(request, org_id: int, payload: OrgPatch):
    org = _visible(request, org_id)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党组织的权限")
    current = {f: getattr(org, f) for f in services.ORG_FIELDS}
    changes = payload.model_dump(exclude_unset=True)
    data = _validated({**current, **changes}, instance=Organization.objects.get(pk=org.pk))
    org = services.update_organization(request.user, org, {k: data[k] for k in changes})
    return org_items([org])[0]


@router.post("/{org_id}/move", response={200: OrgOut, 403: ErrorOut, 422: ErrorOut}, summary="移动党组织（连同下级）")
def move_org(request, org_id: int, payload: MoveIn):
    org = _visible(request, org_id)
    target = Organization.objects.manageable_by(request.user).filter(pk=payload.parent_id).first()
    if target is None:
        raise ValidationError({"parent_id": "找不到该上级党组织，或它不在您的管理范围内"})
    return org_items([services.move_organization(request.user, org, target)])[0]


@router.post("/{org_id}/dissolve", response={200: OrgOut, 403: ErrorOut, 422: ErrorOut}, summary="撤销党组织")
def dissolve_org(request, org_id: int, payload: DissolveIn):
    if not payload.reason.strip():
        raise ValidationError({"reason": "请填写撤销原因"})
    org = services.dissolve_organization(request.user, _visible(request, org_id), payload.dissolved_on, payload.reason.strip())
    return org_items([org])[0]


@router.post("/{org_id}/restore", response={200: OrgOut, 403: ErrorOut, 422: ErrorOut}, summary="恢复已撤销的党组织")
def restore_org(request, org_id: int):
    return org_items([services.restore_organization(request.user, _visible(request, org_id))])[0]


def _post_out(p):
    return {
        "id": p.id, "org_id": p.org_id, "title": p.title, "title_label": p.get_title_display(), "holder_id": p.holder_id,
        "holder_name": p.holder.name, "started_on": p.started_on, "ended_on": p.ended_on, "note": p.note,
    }


@router.get("/{org_id}/posts", response=list[PostOut], summary="领导职务（含历任）")
def list_posts(request, org_id: int, current: bool = False):
    qs = _visible(request, org_id).posts.select_related("holder")
    if current:
        qs = qs.current()
    return [_post_out(p) for p in qs]


@router.post("/{org_id}/posts", response={201: PostOut, 403: ErrorOut, 422: ErrorOut}, summary="任命职务")
def create_post(request, org_id: int, payload: PostIn):
    org = _visible(request, org_id)
    if payload.title not in PostTitle.values:
        raise ValidationError({"title": "不是有效的职务"})
    holder = figures.holder_model().objects.visible_to(request.user).filter(pk=payload.holder_id).first()
    if holder is None:
        raise ValidationError({"holder_id": "找不到该党员，或不在您的管理范围内"})
    post = services.appoint_post(request.user, org, title=payload.title, holder=holder, started_on=payload.started_on, note=payload.note)
    return Status(201, _post_out(post))


@router.post("/posts/{post_id}/end", response={200: PostOut, 403: ErrorOut, 422: ErrorOut}, summary="登记离任")
def end_post(request, post_id: int, payload: EndPostIn):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("org", "holder"), pk=post_id)
    return _post_out(services.end_post(request.user, post, payload.ended_on))
