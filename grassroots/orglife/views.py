import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.core import member_info, scoping
from grassroots.core.errors import field_errors
from grassroots.core.models import AuditLog
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.models import Member
from grassroots.orgs import summaries
from grassroots.orgs.choices import BRANCH_KINDS, Kind
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org as _scope_org

from . import compliance, exports, rollups, rules, services
from .choices import AttendanceStatus, MeetingKind, MeetingState, Period
from .forms import AmendForm, AttachmentForm, MeetingForm, roll_from_post
from .models import Meeting


def _visible_org(request, pk):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)


def _visible_meeting(request, pk):
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("org", "host", "recorder"), pk=pk)


def _managed_meeting(request, pk):
    meeting = _visible_meeting(request, pk)
    if not scoping.can_manage_org(request.user, meeting.org):
        raise PermissionDenied("您没有管理该党组织组织生活的权限")
    return meeting


def _apply_errors(form, exc):
    errors = field_errors(exc)
    roll_errors = errors.pop("attendance", [])
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)
    return roll_errors


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


# ---- meetings ------------------------------------------------------------------------------------------


def meeting_queryset(user, params):
    qs = Meeting.objects.visible_to(user).select_related("org")
    kind = params.get("kind")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    state = params.get("state")
    if state in MeetingState.values:
        qs = qs.filter(state=state)
    month = params.get("month", "")
    try:
        y, m = (int(x) for x in month.split("-"))
        tz = timezone.get_current_timezone()
        start = datetime.datetime(y, m, 1, tzinfo=tz)
        end = datetime.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=tz)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    except ValueError:
        pass
    return qs.order_by("-starts_at", "-id")


@login_required
def meeting_list(request):
    qs = meeting_queryset(request.user, request.GET)
    within = None
    if request.GET.get("org"):
        try:
            within = _visible_org(request, int(request.GET["org"]))
        except ValueError:
            raise Http404("组织不存在") from None
        qs = qs.filter(org_path__startswith=within.path)
    page = paginate(request, qs)
    scope_org = _scope_org(request)
    # The organization whose meetings the 登记/安排 buttons are for: the one filtered on, else the user's own branch.
    hold_org = within or scope_org
    if hold_org is not None and (hold_org.kind not in {*BRANCH_KINDS, Kind.GROUP} or not scoping.can_manage_org(request.user, hold_org)):
        hold_org = None
    return render(
        request,
        "orglife/meeting_list.html",
        {
            "page": page, "query": query_without_page(request), "within": within, "kinds": MeetingKind.choices,
            "states": MeetingState.choices, "params": request.GET, "scope_org": scope_org, "hold_org": hold_org,
        },
    )


def _people(org):
    branch = services.branch_of(org)
    return services.roll_members(branch, timezone.localdate())


def _kinds_for(org):
    if org.kind == Kind.GROUP:
        return [MeetingKind.GROUP]
    return [k for k in MeetingKind.values if k != MeetingKind.GROUP]


def _roll_rows(org, day, meeting=None, posted=None):
    """One row per member on the roll, pre-filled from the saved roll, the posted form, or 'present'."""
    roll = list(services.roll_members(org, day))
    saved = {a.member_id: a for a in meeting.attendances.all()} if meeting else {}
    leaders = services.leader_ids(org, [m.pk for m in roll])
    rows = []
    for m in roll:
        if posted is not None:
            row = posted.get(m.pk, {})
            status, reason, ordinary = row.get("status"), row.get("leave_reason", ""), row.get("as_ordinary_member", False)
        elif m.pk in saved:
            a = saved[m.pk]
            status, reason, ordinary = a.status, a.leave_reason, a.as_ordinary_member
        else:
            status, reason, ordinary = AttendanceStatus.PRESENT, "", m.pk in leaders
        rows.append({"member": m, "status": status, "reason": reason, "ordinary": ordinary, "leader": m.pk in leaders})
    return roll, rows


def _meeting_day(form, meeting):
    value = form.cleaned_data.get("starts_at") if form.is_bound and form.is_valid() else None
    if value:
        return timezone.localtime(value).date()
    return timezone.localtime(meeting.starts_at).date() if meeting else timezone.localdate()


def _edit(request, *, org, meeting=None, mode):
    """Shared by plan / record / amend."""
    recording = mode != "plan"
    form_class = AmendForm if mode == "amend" else MeetingForm
    initial = None
    if meeting:
        initial = {f: getattr(meeting, f) for f in services.MEETING_FIELDS}
        initial["starts_at"] = timezone.localtime(meeting.starts_at)
    form = form_class(request.POST or None, initial=initial, people=_people(org), recording=recording, kinds=_kinds_for(org))
    roll_errors = []
    posted_roll = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        day = timezone.localtime(data["starts_at"]).date()
        roll = list(services.roll_members(org, day))
        posted_roll = roll_from_post(request.POST, roll) if recording else None
        try:
            if mode == "plan":
                meeting = services.plan_meeting(request.user, org, data)
            elif mode == "amend":
                services.amend_meeting(request.user, meeting, reason=form.cleaned_data["reason"], data=data, attendance=posted_roll)
            else:
                meeting = services.record_meeting(request.user, meeting, org=org, data=data, attendance=posted_roll)
        except ValidationError as exc:
            roll_errors = _apply_errors(form, exc)
        else:
            messages.success(request, {"plan": "已安排会议", "record": "已登记会议记录", "amend": "已更正会议记录"}[mode])
            return redirect("orglife:meeting_detail", pk=meeting.pk)
    rows = []
    if recording:
        _roll, rows = _roll_rows(org, _meeting_day(form, meeting), meeting, posted_roll)
    titles = {"plan": "安排会议", "record": "登记会议记录", "amend": "更正会议记录"}
    return render(
        request,
        "orglife/meeting_form.html",
        {
            "form": form, "org": org, "meeting": meeting, "mode": mode, "title": titles[mode], "rows": rows,
            "roll_errors": roll_errors, "statuses": AttendanceStatus.choices,
        },
    )


def _managed_org(request, pk):
    org = _visible_org(request, pk)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党组织组织生活的权限")
    if org.kind not in BRANCH_KINDS and org.kind != Kind.GROUP:
        raise Http404("只有党支部和党小组召开组织生活会议")
    return org


@login_required
def meeting_plan(request, pk):
    return _edit(request, org=_managed_org(request, pk), mode="plan")


@login_required
def meeting_record_new(request, pk):
    return _edit(request, org=_managed_org(request, pk), mode="record")


@login_required
def meeting_record(request, pk):
    meeting = _managed_meeting(request, pk)
    if meeting.state == MeetingState.CONFIRMED:
        return redirect("orglife:meeting_amend", pk=meeting.pk)
    return _edit(request, org=meeting.org, meeting=meeting, mode="record")


@login_required
def meeting_amend(request, pk):
    meeting = _managed_meeting(request, pk)
    if meeting.state != MeetingState.CONFIRMED:
        return redirect("orglife:meeting_record", pk=meeting.pk)
    return _edit(request, org=meeting.org, meeting=meeting, mode="amend")


@login_required
@require_POST
def meeting_confirm(request, pk):
    meeting = _managed_meeting(request, pk)
    try:
        services.confirm_meeting(request.user, meeting)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已确认会议记录")
    return redirect("orglife:meeting_detail", pk=meeting.pk)


@login_required
def meeting_detail(request, pk):
    meeting = _visible_meeting(request, pk)
    attendances = list(meeting.attendances.select_related("member", "member__org"))
    counts = {s: sum(1 for a in attendances if a.status == s) for s in AttendanceStatus.values}
    history = None
    if scoping.can_audit_org(request.user, meeting.org):
        history = AuditLog.objects.for_object(meeting).select_related("actor", "content_type")[:50]
    return render(
        request,
        "orglife/meeting_detail.html",
        {
            "meeting": meeting, "attendances": attendances, "counts": counts, "history": history,
            "amendments": meeting.amendments.select_related("actor"),
            "can_manage": scoping.can_manage_org(request.user, meeting.org),
            "attachments": meeting.attachments.select_related("uploaded_by"), "attachment_form": AttachmentForm(),
            "attachment_accept": ",".join(f".{e}" for e in rules.attachment_extensions()),
            "attachment_max_mb": f"{rules.attachment_max_bytes() / (1024 * 1024):g}",
        },
    )


# ---- compliance ----------------------------------------------------------------------------------------


@login_required
def compliance_home(request):
    return redirect("orglife:compliance", pk=_scope_org(request).pk)


def _granularity(request):
    return Period.QUARTER if request.GET.get("by") == "quarter" else Period.MONTH


def _columns(granularity):
    if granularity == Period.MONTH:
        return [f"{m}月" for m in range(1, 13)]
    return ["一季度", "二季度", "三季度", "四季度"]


@login_required
def compliance_matrix(request, pk):
    org = _visible_org(request, pk)
    year, by = _year(request), _granularity(request)
    today = timezone.localdate()
    is_branch = org.kind in BRANCH_KINDS or org.kind == Kind.GROUP
    context = {
        "org": org, "year": year, "by": by, "columns": _columns(by), "years": range(today.year, 2019, -1),
        "ancestors": Organization.objects.filter(path__in=org.ancestor_paths()).visible_to(request.user),
    }
    if is_branch:
        results = compliance.compute(org, year)
        bc = results[0] if results else None
        context["trend"] = {"labels": _columns(Period.MONTH), "values": compliance.yearly_trend(results)}
        context["branch"] = bc
        context["requirement_rows"] = _requirement_rows(bc, by) if bc else []
        context["can_manage"] = bc is not None and scoping.can_manage_org(request.user, bc.org)
        return render(request, "orglife/compliance_branch.html", context)
    children = list(Organization.objects.children_of(org).exclude(kind=Kind.GROUP).order_by("path"))
    branch_paths = [c.path for c in children if c.kind in BRANCH_KINDS]
    if _kept(org, year, today):
        # the city and the districts: their children's figures are kept (orglife/rollups.py); only the branches
        # among the children, whose cells are drawn, are computed here
        total_values, by_prefix = summaries.breakdown(rollups.NAME, org.path, today, rollups.key(year))
        branch_rows = compliance.compute_paths(branch_paths, year, today) if branch_paths else []
        gaps = _first_gaps(org.path, by_prefix, year, today, GAPS_SHOWN)
    else:
        # requirement items only where cells are drawn: the direct children that are branches
        child_paths = set(branch_paths)
        results = compliance.compute(org, year, today, detail=lambda _i, b: b.path in child_paths)
        by_prefix = compliance.figures_by_prefix(results, org.path)
        total_values = summaries.summed(by_prefix.values())
        branch_rows = [bc for bc in results if bc.org.path in child_paths]
        gaps = [bc for bc in results if bc.committee_gap][:GAPS_SHOWN]
    branch_by_path = {bc.org.path: bc for bc in branch_rows}
    rows = []
    for child in children:
        bc = branch_by_path.get(child.path)
        values = by_prefix.get(child.path, {})
        if bc is not None:
            rows.append({"org": child, "branch": bc, "cells": bc.cells(by), "percent": bc.percent})
        elif values.get("b"):
            r = compliance.rollup_from_figures(child, values, by)
            rows.append({"org": child, "rollup": r, "cells": r.column_percents(), "percent": r.percent})
        # structural gaps (支部工作条例 art. 8): listed under the matrix and counted per child row
        if rows and rows[-1]["org"] is child:
            rows[-1]["gaps"] = values.get("g", 0)
    context.update(
        rows=rows, total=compliance.rollup_from_figures(org, total_values, by), gaps=gaps, gap_count=total_values.get("g", 0),
        gaps_shown=GAPS_SHOWN, trend={"labels": _columns(Period.MONTH), "values": compliance.trend_from_figures(total_values)},
    )
    return render(request, "orglife/compliance_matrix.html", context)


def _kept(org, year, today):
    """Whether the matrix reads the kept figures: above the townships (a township counts its own in a few queries),
    for the years the page offers."""
    return summaries.depth_of(org.path) < summaries.SUMMARY_DEPTH and 2020 <= year <= today.year


def _first_gaps(path, by_prefix, year, today, limit):
    """The first `limit` branches with a committee gap in the subtree of `path`, in path order, as compute() lists
    them: the kept figures say which townships hold them (descending through the districts), and only those
    townships are computed."""
    prefixes = []

    def collect(path, by_prefix, wanted):
        for prefix in sorted(by_prefix):
            n = by_prefix[prefix].get("g", 0)
            if not n or wanted <= 0:
                continue
            if prefix != path and summaries.depth_of(prefix) < summaries.SUMMARY_DEPTH:
                wanted = collect(prefix, summaries.breakdown(rollups.NAME, prefix, today, rollups.key(year))[1], wanted)
            else:
                prefixes.append(prefix)
                wanted -= n
        return wanted

    collect(path, by_prefix, limit)
    if not prefixes:
        return []
    return [bc for bc in compliance.compute_paths(prefixes, year, today, gaps_only=True) if bc.committee_gap][:limit]


GAPS_SHOWN = 50  # structural gaps listed under a matrix; the count covers them all


def _requirement_rows(bc, by):
    """Rows of a branch's own matrix: one per kind of meeting (group meetings: one per group), cells per column."""
    count = 12 if by == Period.MONTH else 4
    rows = {}
    for item in bc.items:
        key = (item.kind, item.org_id if item.kind == MeetingKind.GROUP else None)
        row = rows.setdefault(
            key, {"label": item.kind_label + (f"（{item.org_name}）" if key[1] else ""), "org_id": item.org_id, "kind": item.kind, "cells": [None] * count}
        )
        month = item.last.month
        column = (month if by == Period.MONTH else (month - 1) // 3 + 1) - 1
        cell = row["cells"][column]
        if cell is None:
            row["cells"][column] = cell = compliance.Cell(column + 1)
        cell.items.append(item)
    return list(rows.values())


@login_required
def compliance_export(request, pk):
    org = _visible_org(request, pk)
    return exports.compliance_response(request.user, org, _year(request), _granularity(request))


# ---- ledger and six-month list -------------------------------------------------------------------------


def ledger_meetings(branch, year):
    start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    return (
        Meeting.objects.filter(org_path__startswith=branch.path, starts_at__gte=start, starts_at__lt=end)
        .exclude(state=MeetingState.PLANNED)
        .select_related("org", "host", "recorder")
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            on_leave=Count("attendances", filter=Q(attendances__status=AttendanceStatus.LEAVE)),
            absent=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
        )
        .order_by("starts_at", "id")
    )


def _branch(request, pk):
    org = _visible_org(request, pk)
    if org.kind == Kind.GROUP:
        org = services.branch_of(org)
    if org.kind not in BRANCH_KINDS:
        raise Http404("台账按党支部生成")
    return org


@login_required
def ledger(request, pk):
    branch, year = _branch(request, pk), _year(request)
    return render(request, "orglife/ledger.html", {"org": branch, "year": year, "meetings": ledger_meetings(branch, year)})


@login_required
def ledger_export(request, pk):
    branch, year = _branch(request, pk), _year(request)
    return exports.ledger_response(request.user, branch, year, ledger_meetings(branch, year))


def _as_of(request):
    """?as_of=YYYY-MM-DD (not later than today); today when absent or not a date."""
    today = timezone.localdate()
    try:
        as_of = datetime.date.fromisoformat(request.GET.get("as_of") or "")
    except ValueError:
        return today
    return min(as_of, today)


def _absentees(request, pk):
    org = _visible_org(request, pk)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该组织党员名单的权限")
    as_of = _as_of(request)
    return org, as_of, compliance.six_month_absentees(org.path, as_of)


@login_required
def six_months(request, pk):
    org, as_of, qs = _absentees(request, pk)
    first, _ = compliance.six_month_period(as_of)
    page = paginate(request, qs)
    for m in page:
        m.listed_from = rules.six_months_listed_from(m.since)
    return render(
        request, "orglife/six_months.html",
        {"org": org, "page": page, "query": query_without_page(request), "first": first, "as_of": as_of,
         "today": timezone.localdate()},
    )


@login_required
def attendance(request, pk):
    """Each member's attendance rate at the held meetings of a year, lowest first."""
    org = _visible_org(request, pk)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该组织党员名单的权限")
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    qs = compliance.attendance_rates(org.path, year).order_by(F("rate").asc(nulls_first=True), "org_path", "initials", "id")
    page = paginate(request, qs)
    return render(
        request, "orglife/attendance.html",
        {"org": org, "page": page, "query": query_without_page(request), "year": year, "years": range(this_year, this_year - 5, -1)},
    )


@login_required
def six_months_export(request, pk):
    org, as_of, qs = _absentees(request, pk)
    return exports.six_months_response(request.user, org, qs, as_of)


# ---- democratic appraisal ------------------------------------------------------------------------------


def _appraisals_for(user):
    """Appraisals the user reads (their scope) or votes in (their own branch)."""
    from .models import Appraisal

    q = scoping.path_q("org_path", scoping.read_paths(user))
    member = Member.objects.filter(user=user).only("org_path").first()
    if member is not None:
        q |= Q(org_path__in=[member.org_path[:i] for i in range(4, len(member.org_path) + 1, 4)])
    return Appraisal.objects.filter(q).select_related("org")


@login_required
def appraisal_list(request):
    page = paginate(request, _appraisals_for(request.user).order_by("-year", "org_path"))
    return render(request, "orglife/appraisal_list.html", {"page": page, "query": query_without_page(request)})


@login_required
def appraisal_open(request, pk):
    from . import appraisal as appraisal_services

    org = _visible_org(request, pk)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党支部民主评议的权限")
    year = timezone.localdate().year
    error = None
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            appraisal = appraisal_services.open_appraisal(request.user, org, year)
        except ValueError:
            error = "请填写年度"
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, f"已开展 {year} 年民主评议党员")
            return redirect("orglife:appraisal_detail", pk=appraisal.pk)
    return render(request, "orglife/appraisal_open.html", {"org": org, "year": year, "error": error})


@login_required
def appraisal_detail(request, pk):
    from . import appraisal as appraisal_services
    from .choices import AppraisalState, Grade

    appraisal = get_object_or_404(_appraisals_for(request.user), pk=pk)
    can_read_records = scoping.covers(scoping.record_paths(request.user), appraisal.org_path)
    can_manage = scoping.can_manage_org(request.user, appraisal.org)
    results = list(appraisal.results.select_related("member")) if can_read_records else []
    member = Member.objects.filter(user=request.user).first()
    has_voted = member is not None and appraisal.receipts.filter(voter=member).exists()
    may_vote = (
        member is not None and not has_voted and appraisal.state == AppraisalState.OPEN
        and appraisal_services.voters(appraisal).filter(pk=member.pk).exists()
    )
    errors = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有管理该党支部民主评议的权限")
        conclusions = {r.member_id: request.POST.get(f"grade_{r.member_id}", "") for r in results}
        try:
            appraisal_services.conclude(request.user, appraisal, conclusions)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "已评定民主评议结果")
            return redirect("orglife:appraisal_detail", pk=appraisal.pk)
    tally = appraisal_services.tally(appraisal) if can_manage and appraisal.state == AppraisalState.OPEN else {}
    notes = member_info.collect([r.member_id for r in results], appraisal.year)  # e.g. 双报到 hours and evaluations
    for r in results:
        r.live = tally.get(r.member_id, dict.fromkeys(Grade.values, 0))
        r.notes = notes.get(r.member_id, [])
    summary = {label: sum(1 for r in results if r.grade == value) for value, label in Grade.choices}
    return render(
        request, "orglife/appraisal_detail.html",
        {
            "appraisal": appraisal, "results": results, "can_manage": can_manage, "may_vote": may_vote, "has_voted": has_voted,
            "ballots_cast": appraisal.receipts.count(), "voters": appraisal_services.voters(appraisal).count(),
            "grades": Grade.choices, "errors": errors, "summary": summary, "can_read_records": can_read_records,
            "has_notes": bool(notes),
        },
    )


@login_required
def appraisal_vote(request, pk):
    from . import appraisal as appraisal_services
    from .choices import Grade

    appraisal = get_object_or_404(_appraisals_for(request.user), pk=pk)
    subjects = list(appraisal.results.select_related("member"))
    errors = []
    if request.method == "POST":
        grades = {r.member_id: request.POST.get(f"grade_{r.member_id}", "") for r in subjects}
        try:
            appraisal_services.cast_ballot(request.user, appraisal, grades)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "已提交测评票（匿名）")
            return redirect("orglife:appraisal_detail", pk=appraisal.pk)
    return render(request, "orglife/appraisal_vote.html", {"appraisal": appraisal, "subjects": subjects, "grades": Grade.choices, "errors": errors})


@login_required
def appraisal_follow_up(request, pk):
    from . import appraisal as appraisal_services
    from .choices import FollowUp
    from .models import AppraisalResult

    result = get_object_or_404(
        AppraisalResult.objects.filter(scoping.path_q("appraisal__org_path", scoping.record_paths(request.user))).select_related("appraisal__org", "member"),
        pk=pk,
    )
    if not scoping.can_manage_org(request.user, result.appraisal.org):
        raise PermissionDenied("您没有管理该党支部民主评议的权限")
    errors = []
    if request.method == "POST":
        try:
            decided_on = datetime.date.fromisoformat(request.POST.get("decided_on", ""))
            deadline = request.POST.get("deadline") or None
            deadline = datetime.date.fromisoformat(deadline) if deadline else None
            appraisal_services.follow_up(
                request.user, result, request.POST.get("action", ""), decided_on=decided_on,
                document=request.POST.get("document", ""), deadline=deadline,
            )
        except ValueError:
            errors = ["请填写有效的日期"]
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "已登记组织处置")
            return redirect("orglife:appraisal_detail", pk=result.appraisal_id)
    actions = [(v, label) for v, label in FollowUp.choices if v]
    return render(request, "orglife/appraisal_follow_up.html", {"result": result, "actions": actions, "errors": errors})


# ---- meeting attachments -------------------------------------------------------------------------------


def visible_attachments(user):
    """Attachments of the meetings the user sees; anything else is 404."""
    from .models import Attachment

    return Attachment.objects.filter(scoping.path_q("meeting__org_path", scoping.read_paths(user))).select_related("meeting__org")


def attachment_download_response(attachment):
    """The stored file, as a download under its original name (never a public media URL)."""
    from django.http import FileResponse

    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_upload(request, pk):
    meeting = _managed_meeting(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            attachment = services.add_attachment(request.user, meeting, form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已上传附件《{attachment.original_name}》")
    return redirect(f"{_meeting_url(meeting)}#attachments")


def _meeting_url(meeting):
    from django.urls import reverse

    return reverse("orglife:meeting_detail", kwargs={"pk": meeting.pk})


@login_required
@require_GET
def attachment_download(request, pk):
    return attachment_download_response(get_object_or_404(visible_attachments(request.user), pk=pk))


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = get_object_or_404(visible_attachments(request.user), pk=pk)
    if not scoping.can_manage_org(request.user, attachment.meeting.org):
        raise PermissionDenied("您没有管理该党组织组织生活的权限")
    try:
        services.remove_attachment(request.user, attachment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除附件《{attachment.original_name}》")
    return redirect(f"{_meeting_url(attachment.meeting)}#attachments")


# ---- appraisal roll-up ---------------------------------------------------------------------------------


def appraisal_chart_data(rows):
    from .choices import Grade

    return {
        "labels": [r.org.short_name or r.org.name for r in rows],
        "series": [{"name": label, "data": [r.counts[value] for r in rows]} for value, label in Grade.choices],
    }


@login_required
def appraisal_summary_home(request):
    return appraisal_summary(request, _scope_org(request).pk)


@login_required
def appraisal_summary(request, pk):
    from . import appraisal as appraisal_services
    from .choices import Grade

    org = _visible_org(request, pk)
    year = _year(request)
    rows, total = appraisal_services.rollup(org, year)
    return render(
        request, "orglife/appraisal_summary.html",
        {
            "org": org, "year": year, "rows": rows, "total": total, "grade_labels": Grade.labels,
            "years": range(timezone.localdate().year, 2019, -1), "chart": appraisal_chart_data(rows),
            "ancestors": Organization.objects.filter(path__in=org.ancestor_paths()).visible_to(request.user),
        },
    )


@login_required
def appraisal_summary_export(request, pk):
    org = _visible_org(request, pk)
    return exports.appraisal_summary_response(request.user, org, _year(request))
