"""Pages of the ballot engine: the ballot page (an account's, and a token voter's without login), the voter's
rounds, the organizer's rounds and round page (roll, turnout, QR codes, paper counts, close, publish, results,
Excel, print). Every write calls a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.core.roles import Role

from . import rules, services
from .choices import RoundState
from .models import Round, Voter


def _messages(exc):
    return [m for ms in field_errors(exc).values() for m in ms]


def _visible(request, pk):
    return get_object_or_404(Round.objects.visible_to(request.user).select_related("org"), pk=pk)


def _managed(request, pk):
    round = _visible(request, pk)
    if not services.can_manage_round(request.user, round):
        raise PermissionDenied("您没有管理该评议的权限")
    return round


# ---- voters ---------------------------------------------------------------------------------------------------------


def _ballot_context(round, voter, errors=(), chosen=None):
    return {
        "round": round, "voter": voter, "subjects": list(round.subjects.all()), "grades": round.grade_set,
        "window_error": services.window_error(round), "errors": errors, "chosen": chosen or {},
        "group_label": rules.group_label(voter.group) if voter else "",
    }


def _choices_from(request, round):
    return {s.key: request.POST.get(f"s-{s.key}", "") for s in round.subjects.all()}


def _vote_page(request, round, voter, *, user=None, token=None, template):
    if voter is None:
        raise Http404("未找到该评议")
    if request.method == "POST" and voter.voted_at is None:
        choices = _choices_from(request, round)
        try:
            services.cast(round, choices, user=user, token=token)
        except (ValidationError, PermissionDenied) as exc:
            errors = _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
            return render(request, template, _ballot_context(round, voter, errors, choices), status=400)
        return render(request, template, {**_ballot_context(round, voter), "cast": True})
    return render(request, template, _ballot_context(round, voter))


@login_required
def vote(request, pk):
    """The ballot page of a voter with an account."""
    round = get_object_or_404(Round.objects.for_voter(request.user).select_related("org").distinct(), pk=pk)
    voter = services.voter_for(round, user=request.user)
    return _vote_page(request, round, voter, user=request.user, template="ballots/vote.html")


def token_vote(request, token):
    """The ballot page of a token voter (link or QR code; no login). An unknown token looks like a missing page."""
    round, voter = services.round_for_token(token)
    if round is None or round.state == RoundState.DRAFT:
        raise Http404("评议码无效")
    response = _vote_page(request, round, voter, token=token, template="ballots/vote_public.html")
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_rounds(request):
    rows = (Voter.objects.filter(user=request.user).exclude(round__state=RoundState.DRAFT)
            .select_related("round__org").order_by("-round__created_at"))
    return render(request, "ballots/my_rounds.html", {"page": paginate(request, rows), "query": query_without_page(request)})


# ---- organizers -----------------------------------------------------------------------------------------------------


def reads_rounds(user):
    return scoping.reads_records(user)


@login_required
def round_list(request):
    if not reads_rounds(request.user):
        raise PermissionDenied("您没有查看评议的权限")
    qs = Round.objects.visible_to(request.user).select_related("org").annotate(
        roll=Count("voters", distinct=True), voted=Count("voters", filter=Q(voters__voted_at__isnull=False), distinct=True),
    ).order_by("-created_at", "-id")
    state = request.GET.get("state", "")
    if state in RoundState.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q))
    return render(request, "ballots/round_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request), "states": RoundState.choices, "state": state, "q": q,
    })


def _round_context(request, round, **extra):
    can_manage = services.can_manage_round(request.user, round)
    res = round.results
    return {
        "round": round, "res": res, "can_manage": can_manage, "subjects": list(round.subjects.all()),
        "groups": sorted(round.group_weights, key=rules.group_order) or [g.group for g in res.groups] or ["representative"],
        "group_labels": rules.GROUP_LABELS, "paper": {f"{p.group}|{p.subject_key}|{p.grade_key}": p.count for p in round.paper_counts.all()},
        **extra,
    }


@login_required
def round_detail(request, pk):
    round = _visible(request, pk)
    return render(request, "ballots/round_detail.html", _round_context(request, round))


ACTIONS = {
    "open": ("评议已开始，名册已冻结", services.open_round),
    "close": ("评议已截止", services.close_round),
    "publish": ("评议结果已公布", services.publish),
}


@login_required
@require_POST
def round_act(request, pk):
    round = _managed(request, pk)
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        raise Http404("未知操作")
    try:
        action[1](request.user, round)
    except ValidationError as exc:
        return render(request, "ballots/round_detail.html", _round_context(request, round, errors=_messages(exc)), status=400)
    messages.success(request, action[0])
    return redirect("ballots:round", round.pk)


def _int(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1


@login_required
@require_POST
def voters_add(request, pk):
    """Add token voters, paper ballots or the organization's representatives to the roll; the new tokens are shown
    once, as links and QR codes to print (only their digests are stored)."""
    round = _managed(request, pk)
    group = request.POST.get("group", "")
    users = []
    if request.POST.get("representatives"):
        from grassroots.accounts.models import User

        users = list(User.objects.filter(
            is_active=True, role_assignments__role=Role.REPRESENTATIVE, role_assignments__revoked_at__isnull=True,
            role_assignments__org__path__startswith=round.org_path,
        ).exclude(ballot_rolls__round=round).distinct())
    try:
        tokens = services.add_voters(request.user, round, group, users=users, tokens=_int(request.POST.get("tokens")),
                                     paper=_int(request.POST.get("paper")))
    except ValidationError as exc:
        return render(request, "ballots/round_detail.html", _round_context(request, round, errors=_messages(exc)), status=400)
    if not tokens:
        messages.success(request, f"名册已更新（增加账号 {len(users)} 人）")
        return redirect("ballots:round", round.pk)
    import segno

    cards = []
    for token in tokens:
        link = request.build_absolute_uri(reverse("portal_ballots:vote", args=[token]))
        cards.append({"link": link, "svg": segno.make(link, error="m").svg_inline(scale=3)})
    return render(request, "ballots/tokens.html", {"round": round, "cards": cards, "group_label": rules.group_label(group)})


@login_required
@require_POST
def paper_counts(request, pk):
    round = _managed(request, pk)
    group = request.POST.get("group", "")
    counts = {}
    for s in round.subjects.all():
        counts[s.key] = {g["key"]: _int(request.POST.get(f"{s.key}|{g['key']}")) for g in round.grade_set}
    try:
        services.enter_paper_counts(request.user, round, group, counts)
    except ValidationError as exc:
        return render(request, "ballots/round_detail.html", _round_context(request, round, errors=_messages(exc)), status=400)
    messages.success(request, "纸质选票计票已录入")
    return redirect("ballots:round", round.pk)


@login_required
def round_export(request, pk):
    round = _visible(request, pk)
    if not round.shows_results:
        raise PermissionDenied("评议截止后才能导出结果")
    res = round.results
    audit.record(audit.Action.EXPORT, round, org_path=round.org_path, note=f"导出评议结果《{round.title}》")
    headers = ["评议对象", "类别", *[g["label"] for g in res.grades], "合计", "平均分"]
    rows = []
    for s in res.subjects:
        for g in res.groups:
            n = sum(s.counts[g.group].values())
            rows.append([s.label, g.label, *[s.counts[g.group][k["key"]] for k in res.grades], n, s.group_means.get(g.group)])
        rows.append([s.label, "合计（加权得分）", *[s.totals[k["key"]] for k in res.grades], s.total, s.score])
    return xlsx_response(round.title[:40], "评议结果", headers, rows)
