"""Pages of transfers (组织关系转接), floating members (流动党员) and lost-contact members (失联党员)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.models import Member
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org

from . import forms, rules, services
from .choices import CaseState, TransferKind, TransferState
from .models import FloatingRecord, LostContactCase, Transfer

SEARCH_LIMIT = 20


def _apply_errors(form, exc):
    for field, msgs in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, msgs)


def _search_q(q, name="member__name", initials="member__initials"):
    q = (q or "").strip()
    if not q:
        return Q()
    cond = Q(**{f"{name}__contains": q})
    if q.isascii() and q.isalpha():
        cond |= Q(**{f"{initials}__startswith": q.lower()})
    return cond


def _managed_members(user):
    return Member.objects.filter(scoping.path_q("org_path", scoping.manage_paths(user))).in_register()


def _managed_member(user, pk):
    member = Member.objects.visible_to(user).select_related("org").filter(pk=pk).first()
    if member is None:
        raise ValidationError({"member": "找不到该党员，或该党员不在您的管理范围内"})
    return member


def _preselected(request):
    """The member named by ?member=<pk> (a link from the member's page) or chosen in a form that came back with
    errors, if the user manages them."""
    pk = (request.POST if request.method == "POST" else request.GET).get("member", "")
    if not pk.isdigit():
        return None
    return _managed_members(request.user).select_related("org").filter(pk=int(pk)).first()


def _first_managed_org(user):
    return Organization.objects.manageable_by(user).order_by("path").first()


def _scope_path(request):
    chosen = scoping.current_scope(request)
    return chosen.org.path if chosen else None


# ---- transfers --------------------------------------------------------------------------------------------

TABS = {"all": "全部", "outgoing": "转出", "incoming": "转入", "external": "平台外"}


def transfer_queryset(user, params):
    """The transfers a user sees, filtered by tab (outgoing/incoming/external), state and a search."""
    qs = Transfer.objects.visible_to(user).select_related("member", "from_org", "to_org")
    paths = scoping.record_paths(user)
    tab = params.get("tab") or "all"
    if tab == "outgoing":
        qs = qs.filter(scoping.path_q("from_org_path", paths) & ~Q(from_org_path=""))
    elif tab == "incoming":
        qs = qs.filter(scoping.path_q("to_org_path", paths) & ~Q(to_org_path=""))
    elif tab == "external":
        qs = qs.exclude(kind=TransferKind.INTERNAL)
    today = timezone.localdate()
    state = params.get("state")
    lapsed = Q(state=TransferState.ISSUED, kind=TransferKind.INTERNAL, valid_until__lt=today)
    if state == TransferState.EXPIRED:
        qs = qs.filter(Q(state=TransferState.EXPIRED) | lapsed)
    elif state == TransferState.ISSUED:
        qs = qs.filter(state=TransferState.ISSUED).exclude(lapsed)
    elif state in TransferState.values:
        qs = qs.filter(state=state)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(_search_q(q) | Q(letter_number__contains=q))
    return qs.order_by("-issued_on", "-id")


@login_required
def transfer_list(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看组织关系转接的权限")
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "all"
    page = paginate(request, transfer_queryset(request.user, request.GET))
    return render(request, "relations/transfer_list.html", {
        "page": page, "query": query_without_page(request), "tabs": TABS, "tab": tab, "states": TransferState.choices,
        "params": request.GET, "today": timezone.localdate(), "can_issue": bool(scoping.manage_paths(request.user)),
    })


@login_required
def transfer_export(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看组织关系转接的权限")
    today = timezone.localdate()
    qs = transfer_queryset(request.user, request.GET)
    audit.record(audit.Action.EXPORT, object_repr="组织关系转接台账", org_path=_scope_path(request) or "", actor=request.user)
    headers = ["介绍信编号", "党员", "党员类别", "入党日期", "转出党组织", "接收党组织", "转接原因", "开具日期", "有效期至", "状态", "办理日期",
               "回执应返回日期", "回执日期", "回执情况", "退回理由"]
    rows = (
        [t.letter_number, t.member.name, t.member.get_status_display(), t.member.joined_on, t.from_name, t.to_name, t.get_reason_display(),
         t.issued_on, t.valid_until, t.current_state_label(today), t.decided_on, t.receipt_due, t.receipt_on, t.receipt_label(today),
         t.reject_reason]
        for t in qs.iterator()
    )
    return xlsx_response("组织关系转接台账", "组织关系转接台账", headers, rows)


def _visible_transfer(request, pk):
    return get_object_or_404(Transfer.objects.visible_to(request.user).select_related(
        "member", "member__org", "from_org", "to_org", "placed_in", "decided_by", "created_by", "reissue_of"), pk=pk)


def _transfer_context(request, transfer, **extra):
    user, today = request.user, timezone.localdate()
    state = transfer.current_state(today)
    manages_from = transfer.from_org_id is not None and scoping.can_manage_org(user, transfer.from_org)
    manages_to = transfer.to_org_id is not None and scoping.can_manage_org(user, transfer.to_org)
    internal = transfer.kind == TransferKind.INTERNAL
    reissued_as = Transfer.objects.filter(reissue_of=transfer).first()
    context = {
        "t": transfer, "state": state, "state_label": transfer.current_state_label(today), "today": today,
        "expiring": transfer.is_expiring(today), "receipt_overdue": transfer.receipt_overdue(today),
        "can_accept": internal and manages_to and state == TransferState.ISSUED,
        "can_cancel": manages_from and transfer.state == TransferState.ISSUED,
        "can_reissue": manages_from and state in (TransferState.EXPIRED, TransferState.REJECTED) and reissued_as is None,
        "can_receipt": transfer.awaits_receipt() and (manages_from if transfer.kind == TransferKind.OUTGOING_EXTERNAL else manages_to),
        "reissued_as": reissued_as,
        "probation_until": transfer.probation_until,
        "accept_form": forms.AcceptForm(), "reject_form": forms.ReasonForm(prefix="reject"), "cancel_form": forms.ReasonForm(prefix="cancel"),
        "reissue_form": forms.ReissueForm(initial={"valid_days": transfer.valid_days}),
        "receipt_form": forms.ReceiptForm(initial={"received_on": today}),
    }
    context.update(extra)
    return context


@login_required
def transfer_detail(request, pk):
    transfer = _visible_transfer(request, pk)
    return render(request, "relations/transfer_detail.html", _transfer_context(request, transfer))


@login_required
def transfer_letter(request, pk):
    """The printable letter: stub (存根), letter (介绍信) and receipt (回执)."""
    transfer = _visible_transfer(request, pk)
    return render(request, "relations/transfer_letter.html", _transfer_context(request, transfer))


def _org_search(q, queryset):
    q = (q or "").strip()
    if len(q) < 2 and not (q.isascii() and q.isalpha() and q):
        return queryset.none()
    cond = Q(name__contains=q) | Q(short_name__contains=q)
    if q.isascii() and q.isalpha():
        cond |= Q(initials__startswith=q.lower())
    return queryset.filter(cond).order_by("path")[:SEARCH_LIMIT]


@login_required
def destinations(request, org_pk):
    """Receiving organizations for a letter issued by `org_pk` (which the user manages): any active organization on
    the platform, by name, short name or pinyin initials. Shows names only."""
    sender = get_object_or_404(Organization.objects.manageable_by(request.user), pk=org_pk)
    q = request.GET.get("dq") or request.GET.get("q") or ""
    orgs = _org_search(q, Organization.objects.active().exclude(pk=sender.pk).exclude(kind="group"))
    field = "activity_org" if request.GET.get("field") == "activity_org" else "to_org"
    return render(request, "relations/_destinations.html", {"orgs": orgs, "q": q, "field": field})


@login_required
def member_search(request):
    """Members the user manages, for the transfer, floating and lost-contact forms (htmx)."""
    q = (request.GET.get("q") or "").strip()
    members = []
    if q:
        members = _managed_members(request.user).filter(_search_q(q, "name", "initials")).select_related("org").order_by("initials", "id")[:SEARCH_LIMIT]
    return render(request, "relations/_member_choices.html", {"members": members, "q": q})


@login_required
def transfer_new(request):
    user = request.user
    sender = _first_managed_org(user)
    if sender is None:
        raise PermissionDenied("您没有开具介绍信的权限")
    today = timezone.localdate()
    form = forms.TransferForm(request.POST or None, initial={"issued_on": today, "valid_days": rules.default_valid_days(),
                                                             "member": request.GET.get("member")})
    chosen_member = chosen_org = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            chosen_member = _managed_member(user, data["member"])
            if data["to_org"]:
                chosen_org = Organization.objects.active().filter(pk=data["to_org"]).first()
                if chosen_org is None:
                    raise ValidationError({"to_org": "找不到该接收党组织"})
            transfer = services.issue_transfer(
                user, chosen_member, reason=data["reason"], to_org=chosen_org, to_external=data["to_external"],
                issued_on=data["issued_on"], valid_days=data["valid_days"], note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError({"member": str(exc)})
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已开具介绍信 {transfer.letter_number}")
            return redirect("relations:transfer_detail", pk=transfer.pk)
    chosen_member = chosen_member or _preselected(request)
    if chosen_org is None and request.POST.get("to_org", "").isdigit():
        chosen_org = Organization.objects.active().filter(pk=int(request.POST["to_org"])).first()
    return render(request, "relations/transfer_form.html", {
        "form": form, "sender": sender, "chosen_member": chosen_member, "chosen_org": chosen_org,
    })


@login_required
def transfer_incoming(request):
    """Register a member transferred in from outside the platform with the paper letter's number."""
    user = request.user
    orgs = Organization.objects.manageable_by(user).active()
    if not scoping.manage_paths(user):
        raise PermissionDenied("您没有登记转入党员的权限")
    form = forms.IncomingForm(request.POST or None, orgs=orgs, initial={"valid_days": rules.default_valid_days(), "ethnicity": "01"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.register_incoming(
                user, data["org"], form.member_data(), from_external=data["from_external"], letter_number=data["letter_number"],
                issued_on=data["issued_on"], reason=data["reason"], valid_days=data["valid_days"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记从平台外转入的党员“{transfer.member.name}”")
            return redirect("relations:transfer_detail", pk=transfer.pk)
    return render(request, "relations/simple_form.html", {"form": form, "title": "登记平台外转入", "back": "relations:transfer_list"})


def _transfer_action(request, pk, form_class, key, run, done, prefix=None):
    transfer = _visible_transfer(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            run(transfer, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("relations:transfer_detail", pk=transfer.pk)
    return render(request, "relations/transfer_detail.html", _transfer_context(request, transfer, **{key: form}), status=422)


def _require_side(request, org):
    if org is None or not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有办理该介绍信的权限")


@login_required
@require_POST
def transfer_accept(request, pk):
    transfer = _visible_transfer(request, pk)
    _require_side(request, transfer.to_org)
    form = forms.AcceptForm(request.POST)
    form.fields["place_in"].queryset = Organization.objects.within(transfer.to_org).active()

    if form.is_valid():
        try:
            services.accept_transfer(request.user, transfer, place_in=form.cleaned_data["place_in"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已接收{transfer.member.name}的组织关系")
            return redirect("relations:transfer_detail", pk=transfer.pk)
    return render(request, "relations/transfer_detail.html", _transfer_context(request, transfer, accept_form=form), status=422)


@login_required
@require_POST
def transfer_reject(request, pk):
    _require_side(request, _visible_transfer(request, pk).to_org)
    return _transfer_action(request, pk, forms.ReasonForm, "reject_form",
                            lambda t, d: services.reject_transfer(request.user, t, reason=d["reason"]), "已退回介绍信", prefix="reject")


@login_required
@require_POST
def transfer_cancel(request, pk):
    _require_side(request, _visible_transfer(request, pk).from_org)
    return _transfer_action(request, pk, forms.ReasonForm, "cancel_form",
                            lambda t, d: services.cancel_transfer(request.user, t, reason=d["reason"]), "已撤回介绍信", prefix="cancel")


@login_required
@require_POST
def transfer_receipt(request, pk):
    transfer = _visible_transfer(request, pk)
    _require_side(request, transfer.from_org if transfer.kind == TransferKind.OUTGOING_EXTERNAL else transfer.to_org)
    return _transfer_action(request, pk, forms.ReceiptForm, "receipt_form",
                            lambda t, d: services.record_receipt(request.user, t, received_on=d["received_on"]), "已登记回执")


@login_required
@require_POST
def transfer_reissue(request, pk):
    transfer = _visible_transfer(request, pk)
    _require_side(request, transfer.from_org)
    form = forms.ReissueForm(request.POST)
    if form.is_valid():
        try:
            new = services.reissue_transfer(request.user, transfer, valid_days=form.cleaned_data["valid_days"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已重新开具介绍信 {new.letter_number}")
            return redirect("relations:transfer_detail", pk=new.pk)
    return render(request, "relations/transfer_detail.html", _transfer_context(request, transfer, reissue_form=form), status=422)


# ---- floating members -------------------------------------------------------------------------------------


def floating_queryset(user, params):
    qs = FloatingRecord.objects.visible_to(user).select_related("member", "org", "activity_org")
    show = params.get("show") or "open"
    if show == "open":
        qs = qs.filter(returned_on__isnull=True)
    elif show == "returned":
        qs = qs.filter(returned_on__isnull=False)
    if params.get("q"):
        qs = qs.filter(_search_q(params["q"]))
    if params.get("flag") == "transfer":
        qs = qs.filter(returned_on__isnull=True, left_on__lte=_six_months_ago())
    return qs.order_by("left_on", "id")


def _six_months_ago():
    today = timezone.localdate()
    return rules.add_months(today, -rules.AWAY_MONTHS_REQUIRING_TRANSFER)


def subtree_counts(model_qs, request):
    """Open records counted per direct child of the viewer's scope organization (scope_org), in one query."""
    try:
        root = scope_org(request)
    except Http404:  # no organization to read: no breakdown
        return None, []
    children = list(Organization.objects.children_of(root).order_by("path"))
    if not children:
        return root, []
    length = len(children[0].path)
    counts = dict(
        model_qs.filter(org_path__startswith=root.path).annotate(prefix=Substr("org_path", 1, length))
        .values("prefix").annotate(n=Count("id")).values_list("prefix", "n")
    )
    return root, [(c, counts.get(c.path, 0)) for c in children if counts.get(c.path, 0)]


@login_required
def floating_list(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看流动党员的权限")
    qs = floating_queryset(request.user, request.GET)
    page = paginate(request, qs)
    open_qs = FloatingRecord.objects.visible_to(request.user).filter(returned_on__isnull=True)
    root, counts = subtree_counts(open_qs, request)
    return render(request, "relations/floating_list.html", {
        "page": page, "query": query_without_page(request), "params": request.GET, "six_months_ago": _six_months_ago(),
        "root": root, "counts": counts, "total_open": open_qs.count(),
        "to_transfer": open_qs.filter(left_on__lte=_six_months_ago()).count(), "can_manage": bool(scoping.manage_paths(request.user)),
    })


@login_required
def floating_export(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看流动党员的权限")
    today = timezone.localdate()
    qs = floating_queryset(request.user, request.GET)
    audit.record(audit.Action.EXPORT, object_repr="流动党员台账", org_path=_scope_path(request) or "", actor=request.user)
    headers = ["姓名", "所在党组织", "外出日期", "流入地", "外出原因", "联系电话", "联系地址", "流动党员活动证编号", "参加活动的党组织", "返回日期", "应转接组织关系"]
    rows = (
        [r.member.name, r.org.name, r.left_on, r.destination, r.get_reason_display(), r.contact_phone_masked, r.contact_address,
         r.certificate_number, r.activity_org_display, r.returned_on, "是" if r.transfer_required(today) else ""]
        for r in qs.iterator()
    )
    return xlsx_response("流动党员台账", "流动党员台账", headers, rows)


def _visible_floating(request, pk):
    return get_object_or_404(FloatingRecord.objects.visible_to(request.user).select_related("member", "org", "activity_org", "created_by", "ended_by_transfer"), pk=pk)


def _floating_context(request, record, **extra):
    today = timezone.localdate()
    context = {
        "r": record, "today": today, "can_manage": scoping.can_manage_org(request.user, record.org) and record.returned_on is None,
        "transfer_required": record.transfer_required(today), "return_form": forms.ReturnForm(initial={"returned_on": today}),
    }
    context.update(extra)
    return context


@login_required
def floating_detail(request, pk):
    return render(request, "relations/floating_detail.html", _floating_context(request, _visible_floating(request, pk)))


@login_required
def floating_new(request):
    user = request.user
    if not scoping.manage_paths(user):
        raise PermissionDenied("您没有登记流动党员的权限")
    form = forms.FloatingForm(request.POST or None, initial={"member": request.GET.get("member")})
    chosen_member = chosen_org = None
    if form.is_bound and form.is_valid():
        try:
            chosen_member = _managed_member(user, form.cleaned_data["member"])
            data = dict(form.cleaned_data)
            if data.get("activity_org"):
                chosen_org = Organization.objects.active().filter(pk=data["activity_org"]).first()
                if chosen_org is None:
                    raise ValidationError({"activity_org": "找不到该党组织"})
            data["activity_org"] = chosen_org
            record = services.register_floating(user, chosen_member, data)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError({"member": str(exc)}))
        else:
            messages.success(request, f"已登记流动党员“{record.member.name}”")
            return redirect("relations:floating_detail", pk=record.pk)
    chosen_member = chosen_member or _preselected(request)
    return render(request, "relations/member_form.html", {
        "form": form, "title": "登记流动党员", "chosen_member": chosen_member, "back": "relations:floating_list",
        "activity_picker": _first_managed_org(user), "chosen_org": chosen_org,
    })


@login_required
def floating_edit(request, pk):
    record = _visible_floating(request, pk)
    if not scoping.can_manage_org(request.user, record.org):
        raise PermissionDenied("您没有管理该党员的权限")
    initial = {f: getattr(record, f) for f in ("destination", "contact_address", "certificate_number", "activity_org_name", "note")}
    form = forms.FloatingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_floating(request.user, record, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("relations:floating_detail", pk=record.pk)
    return render(request, "relations/simple_form.html", {"form": form, "title": f"修改流动党员信息：{record.member.name}", "back": "relations:floating_list"})


@login_required
@require_POST
def floating_return(request, pk):
    record = _visible_floating(request, pk)
    if not scoping.can_manage_org(request.user, record.org):
        raise PermissionDenied("您没有管理该党员的权限")
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.record_return(request.user, record, returned_on=form.cleaned_data["returned_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{record.member.name}返回")
            return redirect("relations:floating_detail", pk=record.pk)
    return render(request, "relations/floating_detail.html", _floating_context(request, record, return_form=form), status=422)


# ---- lost contact -----------------------------------------------------------------------------------------


def lost_queryset(user, params):
    qs = LostContactCase.objects.visible_to(user).select_related("member", "org")
    show = params.get("show") or "open"
    if show == "open":
        qs = qs.filter(state__in=[CaseState.OPEN, CaseState.SUSPENDED])
    elif show == "closed":
        qs = qs.filter(state__in=[CaseState.RESTORED, CaseState.SELF_LEFT])
    if params.get("q"):
        qs = qs.filter(_search_q(params["q"]))
    return qs.annotate(attempt_count=Count("attempts")).order_by("last_contact_on", "id")


@login_required
def lost_list(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看失联党员的权限")
    page = paginate(request, lost_queryset(request.user, request.GET))
    return render(request, "relations/lost_list.html", {
        "page": page, "query": query_without_page(request), "params": request.GET, "today": timezone.localdate(),
        "can_manage": bool(scoping.manage_paths(request.user)),
    })


@login_required
def lost_export(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看失联党员的权限")
    qs = lost_queryset(request.user, request.GET)
    audit.record(audit.Action.EXPORT, object_repr="失联党员台账", org_path=_scope_path(request) or "", actor=request.user)
    headers = ["姓名", "所在党组织", "最后联系日期", "登记失联日期", "寻找次数", "处理状态", "可停止党籍日期", "停止党籍日期", "停止党籍文号", "结案日期", "处理决定文号"]
    rows = (
        [c.member.name, c.org.name, c.last_contact_on, c.opened_on, c.attempt_count, c.get_state_display(), c.suspend_possible_on,
         c.suspended_on, c.suspend_document, c.closed_on, c.close_document]
        for c in qs.iterator()
    )
    return xlsx_response("失联党员台账", "失联党员台账", headers, rows)


def _visible_case(request, pk):
    return get_object_or_404(LostContactCase.objects.visible_to(request.user).select_related("member", "org", "created_by"), pk=pk)


def _case_context(request, case, **extra):
    today = timezone.localdate()
    manages = scoping.can_manage_org(request.user, case.org) and case.state in (CaseState.OPEN, CaseState.SUSPENDED)
    context = {
        "c": case, "today": today, "can_manage": manages, "attempts": list(case.attempts.select_related("created_by")),
        "suspend_refusal": services.suspend_refusal(case, today), "self_left_refusal": services.self_left_refusal(case, today),
        "search_form": forms.SearchForm(initial={"tried_on": today}), "suspend_form": forms.DecisionForm(prefix="suspend", initial={"decided_on": today}),
        "self_left_form": forms.DecisionForm(prefix="selfleft", initial={"decided_on": today}),
        "restore_form": forms.RestoreForm(initial={"restored_on": today}),
    }
    context.update(extra)
    return context


@login_required
def lost_detail(request, pk):
    return render(request, "relations/lost_detail.html", _case_context(request, _visible_case(request, pk)))


@login_required
def lost_new(request):
    user = request.user
    if not scoping.manage_paths(user):
        raise PermissionDenied("您没有登记失联党员的权限")
    form = forms.LostForm(request.POST or None, initial={"member": request.GET.get("member"), "opened_on": timezone.localdate()})
    chosen_member = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            chosen_member = _managed_member(user, data["member"])
            case = services.open_lost_contact(user, chosen_member, last_contact_on=data["last_contact_on"], opened_on=data["opened_on"], note=data["note"])
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError({"member": str(exc)}))
        else:
            messages.success(request, f"已登记失联党员“{case.member.name}”")
            return redirect("relations:lost_detail", pk=case.pk)
    chosen_member = chosen_member or _preselected(request)
    return render(request, "relations/member_form.html", {
        "form": form, "title": "登记失联党员", "chosen_member": chosen_member, "back": "relations:lost_list",
    })


def _case_action(request, pk, form_class, key, run, done, prefix=None):
    case = _visible_case(request, pk)
    if not scoping.can_manage_org(request.user, case.org):
        raise PermissionDenied("您没有管理该党员的权限")
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            run(case, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("relations:lost_detail", pk=case.pk)
    return render(request, "relations/lost_detail.html", _case_context(request, case, **{key: form}), status=422)


@login_required
@require_POST
def lost_search(request, pk):
    return _case_action(request, pk, forms.SearchForm, "search_form", lambda c, d: services.log_search(request.user, c, **d), "已登记寻找情况")


@login_required
@require_POST
def lost_suspend(request, pk):
    return _case_action(request, pk, forms.DecisionForm, "suspend_form",
                        lambda c, d: services.suspend_membership(request.user, c, **d), "已停止党籍", prefix="suspend")


@login_required
@require_POST
def lost_self_left(request, pk):
    return _case_action(request, pk, forms.DecisionForm, "self_left_form",
                        lambda c, d: services.remove_as_self_left(request.user, c, **d), "已按自行脱党处理", prefix="selfleft")


@login_required
@require_POST
def lost_restore(request, pk):
    return _case_action(request, pk, forms.RestoreForm, "restore_form",
                        lambda c, d: services.restore_contact(request.user, c, **d), "已登记恢复联系")
