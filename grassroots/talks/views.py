"""Pages of heart-to-heart talks: the record list, the worklist of flagged members, yearly coverage, forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.errors import field_errors
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.models import Member
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org

from . import exports, services
from . import worklist as work
from .choices import Flag, TalkKind
from .forms import AmendForm, FollowUpForm, TalkForm
from .models import Talk


def talks_org(request, org_id=None):
    """The organization `org_id` (one the user sees), or the current scope; the user must read its records in full."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_id) if org_id is not None else scope_org(request)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该党组织谈心谈话记录的权限")
    return org


def _org(request):
    """The organization named by ?org=, or the current scope."""
    value = request.GET.get("org", "")
    return talks_org(request, int(value) if value.isdigit() else None)


def _year(request):
    this_year = timezone.localdate().year
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year + 1 else this_year


def _apply_errors(form, exc):
    for field, messages_ in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, messages_)


def talks_queryset(user, org, params):
    qs = Talk.objects.visible_to(user).filter(org_path__startswith=org.path).select_related("member", "org")
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(member__name__contains=q) | Q(member__initials__startswith=q.lower()) | Q(topic__contains=q))
    year = params.get("year", "")
    if year.isdigit():
        qs = qs.filter(held_on__year=int(year))
    if params.get("kind") in TalkKind.values:
        qs = qs.filter(kind=params["kind"])
    if params.get("follow_up") == "open":
        qs = qs.exclude(follow_up="").filter(follow_up_done_on__isnull=True)
    return qs.order_by("-held_on", "-id")


@login_required
def talk_list(request):
    org = _org(request)
    page = paginate(request, talks_queryset(request.user, org, request.GET))
    return render(request, "talks/talk_list.html", {
        "org": org, "page": page, "query": query_without_page(request), "kinds": TalkKind.choices,
        "today": timezone.localdate(),
    })


@login_required
def talk_export(request):
    org = _org(request)
    return exports.talks_response(request.user, org, talks_queryset(request.user, org, request.GET))


def _worklist(request):
    """The organization, the flag chosen (or None) and the name searched for."""
    flag = request.GET.get("flag") if request.GET.get("flag") in Flag.values else None
    return _org(request), flag, (request.GET.get("q") or "").strip()


@login_required
def worklist(request):
    org, flag, q = _worklist(request)
    counts = work.kept_flag_counts(org)
    page = paginate(request, work.worklist_rows(org, flag, q), count=None if q else counts[flag or "total"])
    for member in page:
        member.flags = work.row_flags(member)
    return render(request, "talks/worklist.html", {
        "org": org, "page": page, "query": query_without_page(request), "counts": counts,
        "flags": [(f, f.label, counts[f.value]) for f in work.FLAGS], "can_manage": scoping.can_manage_org(request.user, org),
    })


@login_required
def worklist_export(request):
    org, flag, q = _worklist(request)
    return exports.worklist_response(request.user, org, work.flagged_queryset(org, flag, q))


@login_required
def coverage(request):
    org = _org(request)
    year = _year(request)
    rows = work.coverage(org, year)
    total = sum(r["total"] for r in rows)
    talked = sum(r["talked"] for r in rows)
    page = paginate(request, work.not_talked_this_year(org.path, year))
    return render(request, "talks/coverage.html", {
        "org": org, "year": year, "rows": rows, "total": total, "talked": talked, "page": page,
        "percent": work.rules.coverage_percent(talked, total), "query": query_without_page(request),
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })


def _visible_member(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("org"), pk=pk)
    if not scoping.covers(scoping.record_paths(request.user), member.org_path):
        raise PermissionDenied("您没有查看该党员谈心谈话记录的权限")
    return member


def _visible_talk(request, pk):
    return get_object_or_404(Talk.objects.visible_to(request.user).select_related("member", "org", "recorded_by"), pk=pk)


@login_required
def member_talks(request, pk):
    member = _visible_member(request, pk)
    # visible_to: a talk recorded by the branch a transferred member left stays that branch's record
    talks = Talk.objects.visible_to(request.user).filter(member=member).select_related("org").order_by("-held_on", "-id")
    return render(request, "talks/member_talks.html", {
        "member": member, "talks": talks, "can_manage": scoping.can_manage_org(request.user, member.org),
    })


@login_required
def talk_new(request, pk):
    member = _visible_member(request, pk)
    if not scoping.can_manage_org(request.user, member.org):
        raise PermissionDenied("您没有为该党员登记谈心谈话的权限")
    initial = {"held_on": timezone.localdate(), "talker_name": request.user.full_name,
               "reasons": [r for r in request.GET.getlist("reason") if r in Flag.values]}
    if initial["reasons"]:
        initial["kind"] = TalkKind.REMINDER if Flag.UNQUALIFIED not in initial["reasons"] else TalkKind.CRITICISM
    form = TalkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.record_talk(request.user, member, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记与{member.name}的谈心谈话")
            return redirect("talks:talk_detail", talk.pk)
    return render(request, "talks/talk_form.html", {"form": form, "member": member, "title": f"登记谈心谈话：{member.name}"})


@login_required
def talk_detail(request, pk):
    talk = _visible_talk(request, pk)
    return render(request, "talks/talk_detail.html", {
        "talk": talk, "can_manage": scoping.can_manage_org(request.user, talk.org), "follow_up_form": FollowUpForm(
            initial={"follow_up_done_on": timezone.localdate()}),
        "today": timezone.localdate(),
    })


@login_required
def talk_amend(request, pk):
    talk = _visible_talk(request, pk)
    if not scoping.can_manage_org(request.user, talk.org):
        raise PermissionDenied("您没有更正该记录的权限")
    initial = {f: getattr(talk, f) for f in services.FIELDS}
    form = AmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.amend_talk(request.user, talk, data, form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已更正谈心谈话记录，更正理由已记入审计日志")
            return redirect("talks:talk_detail", talk.pk)
    return render(request, "talks/talk_form.html", {"form": form, "member": talk.member, "talk": talk,
                                                   "title": f"更正谈心谈话记录：{talk.member.name}"})


@login_required
@require_POST
def talk_follow_up(request, pk):
    talk = _visible_talk(request, pk)
    if not scoping.can_manage_org(request.user, talk.org):
        raise PermissionDenied("您没有登记该措施落实情况的权限")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.complete_follow_up(request.user, talk, form.cleaned_data["follow_up_done_on"], form.cleaned_data["follow_up_result"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已登记后续措施落实情况")
            return redirect("talks:talk_detail", talk.pk)
    return render(request, "talks/talk_detail.html", {"talk": talk, "can_manage": True, "follow_up_form": form,
                                                     "today": timezone.localdate()}, status=422)
