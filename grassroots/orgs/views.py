from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.errors import field_errors
from grassroots.core.models import AuditLog
from grassroots.core.pagination import paginate, query_without_page

from . import exports, figures, services
from .forms import DissolveForm, EndPostForm, MoveForm, OrganizationForm, PostForm, post_holder_choices
from .models import Organization, Post


def _visible(request, pk):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)


def _managed(request, pk):
    org = _visible(request, pk)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党组织的权限")
    return org


def apply_errors(form, exc):
    """Put a service's ValidationError onto the form, field by field."""
    for field, errors in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, errors)


def _with_counts(orgs):
    orgs = list(orgs)
    by_depth = {}
    for org in orgs:
        by_depth.setdefault(len(org.path), []).append(org.path)
    counts = {}
    for paths in by_depth.values():
        counts.update(figures.counts_by_prefix(paths))
    for org in orgs:
        org.counts = counts.get(org.path, figures.empty_counts())
    return orgs


@login_required
def tree(request):
    show_dissolved = request.GET.get("dissolved") == "1"
    roots = Organization.objects.scope_roots(request.user)
    if not show_dissolved:
        roots = roots.filter(is_active=True)
    roots = _with_counts(roots)
    if len(roots) == 1:  # a single root opens on its first level
        roots[0].preloaded = _with_counts(_children_qs(roots[0], show_dissolved))
    return render(
        request,
        "orgs/tree.html",
        {"roots": roots, "show_dissolved": show_dissolved, "can_create_root": scoping.is_system_admin(request.user)},
    )


def _children_qs(org, show_dissolved):
    qs = Organization.objects.children_of(org)
    return qs if show_dissolved else qs.filter(is_active=True)


@login_required
def children(request, pk):
    """htmx fragment: the children of one node, loaded when it is expanded."""
    org = _visible(request, pk)
    show_dissolved = request.GET.get("dissolved") == "1"
    nodes = _with_counts(_children_qs(org, show_dissolved))
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes, "show_dissolved": show_dissolved})


def search_queryset(user, q):
    qs = Organization.objects.visible_to(user)
    q = (q or "").strip()
    if not q:
        return qs.none()
    condition = Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__iexact=q)
    if q.isascii() and q.isalnum():
        condition |= Q(initials__startswith=q.lower()) | Q(code__istartswith=q)
    return qs.filter(condition)


@login_required
def search(request):
    q = request.GET.get("q", "")
    page = paginate(request, search_queryset(request.user, q))
    template = "orgs/_search_results.html" if request.htmx else "orgs/search.html"
    ancestors = _ancestor_names(request.user, list(page))
    for org in page:
        org.trail = " / ".join(ancestors[p] for p in org.ancestor_paths() if p in ancestors)
    return render(request, template, {"q": q, "page": page, "query": query_without_page(request), "pick": request.GET.get("pick")})


def _ancestor_names(user, orgs):
    """{path: short name} of the ancestors of the given organizations that the user may see, in one query."""
    paths = {p for org in orgs for p in org.ancestor_paths()}
    rows = Organization.objects.visible_to(user).filter(path__in=paths).values_list("path", "short_name", "name")
    return {path: short or name for path, short, name in rows}


@login_required
def detail(request, pk):
    org = _visible(request, pk)
    user = request.user
    ancestors = Organization.objects.filter(path__in=org.ancestor_paths()).visible_to(user)
    kids = Organization.objects.children_of(org)
    history = None
    if scoping.can_audit_org(user, org):
        history = AuditLog.objects.for_object(org).select_related("actor")[:50]
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "ancestors": ancestors,
            "children": _with_counts(kids),
            "count_rows": figures.labelled(figures.subtree_counts(org.path)),
            "posts": org.posts.select_related("holder").order_by("ended_on", "title", "-started_on"),
            "history": history,
            "can_manage": scoping.can_manage_org(user, org),
        },
    )


@login_required
def create(request, pk=None):
    parent_pk = pk
    parent = _managed(request, parent_pk) if parent_pk else None
    if parent is None and not scoping.is_system_admin(request.user):
        raise PermissionDenied("只有系统管理员可以新建顶层党组织")
    form = OrganizationForm(request.POST or None, initial={"category": parent.category} if parent else None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(request.user, parent, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已新建党组织“{org.name}”")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "title": "新建党组织"})


@login_required
def edit(request, pk):
    org = _managed(request, pk)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(request.user, org, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存修改")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"编辑：{org.name}"})


@login_required
def move(request, pk):
    org = _managed(request, pk)
    form = MoveForm(request.POST or None, queryset=Organization.objects.manageable_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_organization(request.user, org, form.cleaned_data["parent"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已将“{org.name}”及其下级组织移动到“{form.cleaned_data['parent'].name}”之下")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/move.html", {"form": form, "org": org})


@login_required
def dissolve(request, pk):
    org = _managed(request, pk)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolve_organization(request.user, org, form.cleaned_data["dissolved_on"], form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已撤销“{org.name}”，历史记录全部保留")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/dissolve.html", {"form": form, "org": org})


@login_required
@require_POST
def restore(request, pk):
    org = _managed(request, pk)
    try:
        services.restore_organization(request.user, org)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已恢复“{org.name}”")
    return redirect("orgs:detail", pk=org.pk)


@login_required
def post_create(request, pk):
    org = _managed(request, pk)
    form = PostForm(request.POST or None, holders=post_holder_choices(request.user, org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appoint_post(
                request.user, org, title=data["title"], holder=data["holder"], started_on=data["started_on"], note=data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已登记任职")
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/post_form.html", {"form": form, "org": org})


@login_required
def post_end(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("org", "holder"), pk=pk)
    if not scoping.can_manage_org(request.user, post.org):
        raise PermissionDenied("您没有管理该党组织的权限")
    form = EndPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_post(request.user, post, form.cleaned_data["ended_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已登记离任")
            return redirect("orgs:detail", pk=post.org_id)
    return render(request, "orgs/post_end.html", {"form": form, "post": post})


@login_required
def export(request, pk):
    """The organization ledger (党组织台账) of a subtree as a streamed .xlsx file."""
    org = _visible(request, pk)
    return exports.organization_ledger_response(request.user, org)
