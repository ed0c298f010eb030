"""The member registry's pages: list and search, record, create and edit, reveal of personal data, a
member's own page, and correction requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.models import AuditLog
from grassroots.core.pagination import paginate
from grassroots.core.roles import READING_ROLES
from grassroots.orgs.models import Organization, Post
from grassroots.orgs.views import apply_errors

from . import services, stats
from .choices import RequestState
from .forms import CorrectionForm, DecisionForm, MemberForm
from .models import CorrectionRequest, Member
from .search import filter_members, visible_members

# Fields shown on a record page, in the order of the ledger; ID number and phone are shown apart (masked).
RECORD_ROWS = [
    "gender", "ethnicity", "birth_date", "native_place", "education", "degree", "occupation", "work_unit", "residence",
    "in_service", "status", "joined_on", "full_on", "state", "left_reason", "left_on", "left_document",
]


def record_rows(member):
    """(label, text) for every field of the record, choice codes as their Chinese labels."""
    rows = []
    for name in RECORD_ROWS:
        if name.startswith("left_") and not getattr(member, name):
            continue
        text = services.display_value(member, name)
        if name == "birth_date":
            text = f"{text}（{stats.age(member.birth_date, timezone.localdate())}岁）"
        rows.append((str(Member._meta.get_field(name).verbose_name), text))
    return rows


def _visible(request, pk):
    return get_object_or_404(visible_members(request.user).select_related("org"), pk=pk)


def _managed(request, pk):
    member = _visible(request, pk)
    if not scoping.can_manage_org(request.user, member.org):
        raise PermissionDenied("您没有管理该党员信息的权限")
    return member


def _within_choices(user, org):
    """Organizations offered by the scope selector: the user's top organizations, the ancestors of the
    current one, the current one and its direct children; one query."""
    roots = scoping.read_paths(user)
    condition = Q(path__in=[*org.ancestor_paths(), org.path]) | Q(path__startswith=org.path, depth=org.depth + 1, is_active=True)
    condition |= Q(depth=1) if scoping.ALL in roots else Q(path__in=roots)
    return list(Organization.objects.visible_to(user).filter(condition).order_by("path"))


@login_required
def member_list(request):
    user = request.user
    if not scoping.record_paths(user):
        if Member.objects.filter(user=user).exists():
            return redirect("members:me")
        raise PermissionDenied("您的角色不能查看党员名册")
    params = request.GET.copy()
    params.pop("page", None)
    scope = scoping.current_scope(request)
    if not params.get("within") and scope is not None and scope.role in READING_ROLES:
        params["within"] = str(scope.org_id)
    qs, filters = filter_members(user, params)
    page = paginate(request, qs)
    today = timezone.localdate()
    for m in page:
        m.age = stats.age(m.birth_date, today)
    org = filters.org
    context = {
        "page": page,
        "form": filters.form,
        "filters": filters,
        "query": params.urlencode(),
        "org": org,
        "filters_active": bool(filters.errors) or any(k not in ("q", "within", "sort") for k in filters),
        "within_choices": _within_choices(user, org) if org else [],
        "can_create": org is not None and org.is_active and scoping.can_manage_org(user, org),
    }
    template = "members/_list_results.html" if request.htmx and not request.htmx.boosted else "members/list.html"
    return render(request, template, context)


@login_required
def detail(request, pk):
    member = _visible(request, pk)
    return render(request, "members/detail.html", _detail_context(request, member))


def _detail_context(request, member, revealed=None):
    user = request.user
    history = None
    if scoping.can_audit_org(user, member.org):
        history = AuditLog.objects.for_object(member).select_related("content_type")[:50]
    corrections = list(member.correction_requests.select_related("requested_by", "decided_by")[:20])
    for c in corrections:
        c.shown_value = services.requested_display(c)
        c.field_label = services.CORRECTABLE_FIELDS.get(c.field, c.field)
    return {
        "member": member,
        "rows": record_rows(member),
        "can_manage": scoping.can_manage_org(user, member.org),
        "can_reveal": services.can_reveal(user, member),
        "revealed": revealed or {},
        "posts": Post.objects.visible_to(user).filter(holder=member).select_related("org").order_by("ended_on", "-started_on"),
        "events": member.events.select_related("actor")[:100],
        "history": history,
        "corrections": corrections,
    }


@login_required
@require_POST
def reveal(request, pk, field):
    """The full ID number or phone of one member, for a role that needs it (audited by the service)."""
    member = _visible(request, pk)
    if field not in services.SENSITIVE:
        raise Http404("没有这一项")
    value = services.reveal(request.user, member, field)
    if request.htmx:
        return render(request, "members/_revealed.html", {"value": value, "label": services.SENSITIVE[field]})
    return render(request, "members/detail.html", _detail_context(request, member, revealed={field: value}))


def _managed_orgs(user):
    return Organization.objects.manageable_by(user)


@login_required
def create(request):
    user = request.user
    if not scoping.manage_paths(user):
        raise PermissionDenied("您没有新增党员的权限")
    initial = {"state": "normal", "ethnicity": "01", "in_service": True}
    org = None
    if request.GET.get("org"):
        try:
            org = get_object_or_404(Organization.objects.visible_to(user), pk=int(request.GET["org"]))
        except ValueError:
            raise Http404("找不到该党组织") from None
        if scoping.can_manage_org(user, org):
            initial["org"] = org.code
    form = MemberForm(request.POST or None, orgs=_managed_orgs(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(user, form.cleaned_data["org"], form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已新增党员“{member.name}”")
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "org": org, "title": "新增党员"})


@login_required
def edit(request, pk):
    member = _managed(request, pk)
    form = MemberForm(request.POST or None, orgs=_managed_orgs(request.user), member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(request.user, member, form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存修改")
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "member": member, "title": f"编辑党员信息：{member.name}"})


@login_required
def me(request):
    """A member's own record, branch and history, and their correction requests."""
    member = Member.objects.filter(user=request.user).select_related("org").first()
    if member is None:
        return render(request, "members/me.html", {"member": None})
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_correction(request.user, member, data["field"], data["requested_value"], data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "更正申请已提交，请等待党支部审核")
            return redirect("members:me")
    corrections = list(member.correction_requests.all()[:20])
    for c in corrections:
        c.shown_value = services.requested_display(c)
        c.field_label = services.CORRECTABLE_FIELDS.get(c.field, c.field)
    leaders = Post.objects.current().filter(org=member.org).select_related("holder").order_by("title")
    return render(
        request,
        "members/me.html",
        {
            "member": member,
            "rows": record_rows(member),
            "events": member.events.all()[:50],
            "corrections": corrections,
            "leaders": leaders,
            "form": form,
        },
    )


def _corrections_qs(user, paths):
    return CorrectionRequest.objects.filter(scoping.path_q("member__org_path", paths)).select_related(
        "member", "member__org", "requested_by", "decided_by"
    )


@login_required
def corrections(request):
    """Correction requests of the members the user manages; pending ones first."""
    paths = scoping.manage_paths(request.user)
    if not paths:
        raise PermissionDenied("您没有审核更正申请的权限")
    state = request.GET.get("state", RequestState.PENDING)
    qs = _corrections_qs(request.user, paths)
    if state in RequestState.values:
        qs = qs.filter(state=state)
    page = paginate(request, qs)
    for c in page:
        c.shown_value = services.requested_display(c)
        c.field_label = services.CORRECTABLE_FIELDS.get(c.field, c.field)
    states = [(RequestState.PENDING, "待审核"), ("all", "全部"), (RequestState.APPROVED, "已同意"), (RequestState.REJECTED, "已驳回")]
    return render(request, "members/corrections.html", {"page": page, "state": state, "states": states, "query": f"state={state}"})


@login_required
def decide(request, pk):
    req = get_object_or_404(_corrections_qs(request.user, scoping.record_paths(request.user)), pk=pk)
    if not scoping.can_manage_org(request.user, req.member.org):
        raise PermissionDenied("您没有审核该申请的权限")
    req.shown_value = services.requested_display(req)
    req.field_label = services.CORRECTABLE_FIELDS.get(req.field, req.field)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_correction(request.user, req, form.cleaned_data["approve"], form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已同意并更正党员信息" if form.cleaned_data["approve"] else "已驳回该申请")
            return redirect("members:corrections")
    return render(request, "members/decide.html", {"req": req, "form": form})


urlpatterns = [
    path("", member_list, name="list"),
    path("new/", create, name="create"),
    path("me/", me, name="me"),
    path("corrections/", corrections, name="corrections"),
    path("corrections/<int:pk>/decide/", decide, name="correction_decide"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/reveal/<str:field>/", reveal, name="reveal"),
]
