"""Pages of discipline: leads (discipline role only), their 通报, special campaigns and the report upward, the
plaques and temporary bodies register, the burden register and the list of ledgers the platform generates."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import crypto, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org

from . import imports, ledgers, services
from .choices import BodyDecision, BodyKind, BurdenKind, BurdenState, Category, Finding, LeadState, Source
from .models import Body, BodyPhoto, Burden, Campaign, Lead


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _errors(request, exc):
    for msgs in field_errors(exc).values():
        for m in msgs:
            messages.error(request, m)


def _lead_root(request):
    """The subtree the discipline user works in: ?org= inside their discipline scope, or their first one."""
    paths = scoping.discipline_paths(request.user)
    if not paths:
        raise PermissionDenied("只有纪检人员才能查看问题线索")
    value = request.GET.get("org", "")
    qs = Organization.objects.filter(scoping.path_q("path", paths))
    if value.isdigit():
        return get_object_or_404(qs, pk=int(value))
    return qs.order_by("path").first()


def leads_queryset(user, root, params):
    qs = Lead.objects.visible_to(user).filter(org_path__startswith=root.path).select_related("org", "campaign")
    if params.get("state") in LeadState.values:
        qs = qs.filter(state=params["state"])
    if params.get("category") in Category.values:
        qs = qs.filter(category=params["category"])
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(summary__contains=q) | Q(accused__contains=q) | Q(org__name__contains=q) | Q(org__initials__startswith=q.lower()))
    return qs


@login_required
def leads(request):
    root = _lead_root(request)
    qs = leads_queryset(request.user, root, request.GET)
    by_category = list(Lead.objects.visible_to(request.user).filter(org_path__startswith=root.path).values("category").annotate(n=Count("id")).order_by("-n"))
    labels = dict(Category.choices)
    return render(request, "discipline/leads.html", {
        "root": root, "page": paginate(request, qs), "query": query_without_page(request), "states": LeadState.choices, "categories": Category.choices,
        "chart": {"labels": [labels[r["category"]] for r in by_category], "values": [r["n"] for r in by_category]},
    })


@login_required
def leads_export(request):
    root = _lead_root(request)
    rows = ([lead.number, lead.received_on, lead.get_source_display(), lead.org.name, lead.get_category_display(), lead.accused, lead.summary,
             "匿名" if lead.anonymous else "实名", lead.get_state_display(), lead.get_finding_display(), lead.concluded_on]
            for lead in leads_queryset(request.user, root, request.GET))
    return xlsx_response("问题线索台账", "问题线索", ["编号", "受理日期", "来源", "被反映单位", "类别", "被反映人", "摘要", "署名", "状态", "核实结论", "办结日期"], rows)


@login_required
def lead_new(request):
    root = _lead_root(request)
    orgs = Organization.objects.filter(path__startswith=root.path, is_active=True).exclude(kind="group").order_by("path")[:1000]
    campaigns = Campaign.objects.visible_to(request.user)
    if request.method == "POST":
        org = Organization.objects.filter(path__startswith=root.path, pk=request.POST.get("org") or 0).first()
        campaign = campaigns.filter(pk=request.POST.get("campaign") or 0).first()
        try:
            lead = services.register_lead(request.user, org, source=request.POST.get("source"), category=request.POST.get("category"),
                                          summary=request.POST.get("summary"), detail=request.POST.get("detail"),
                                          received_on=_date(request.POST.get("received_on")), accused=request.POST.get("accused"),
                                          name=request.POST.get("name"), phone=request.POST.get("phone"), campaign=campaign)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"线索 {lead.number} 已登记")
            return redirect("discipline:lead", lead.pk)
    return render(request, "discipline/lead_new.html", {
        "root": root, "orgs": orgs, "campaigns": campaigns, "sources": [c for c in Source.choices if c[0] != Source.PORTAL],
        "categories": Category.choices, "today": timezone.localdate(), "data": request.POST,
    })


def _lead(request, pk):
    return get_object_or_404(Lead.objects.visible_to(request.user).select_related("org", "campaign"), pk=pk)


@login_required
def lead(request, pk):
    item = _lead(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                services.verify_lead(request.user, item, verification=request.POST.get("verification"), verified_on=_date(request.POST.get("verified_on")),
                                     finding=request.POST.get("finding"))
            elif action == "conclude":
                services.conclude_lead(request.user, item, conclusion=request.POST.get("conclusion"), concluded_on=_date(request.POST.get("concluded_on")))
            elif action == "publish":
                services.publish_bulletin(request.user, item.bulletin, title=request.POST.get("title"), body=request.POST.get("body"))
            elif action == "campaign":
                services.assign_campaign(request.user, item, Campaign.objects.visible_to(request.user).filter(pk=request.POST.get("campaign") or 0).first())
            else:
                raise ValidationError("未知操作")
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已保存")
        return redirect("discipline:lead", item.pk)
    bulletin = getattr(item, "bulletin", None) if item.state in (LeadState.CONCLUDED, LeadState.BULLETIN) else None
    return render(request, "discipline/lead.html", {
        "lead": item, "bulletin": bulletin, "findings": Finding.choices, "today": timezone.localdate(),
        "reporter_name": crypto.decrypt(item.reporter_name_enc), "reporter_phone": crypto.mask_phone(crypto.decrypt(item.reporter_phone_enc)),
        "campaigns": Campaign.objects.visible_to(request.user).filter(org_path__in=[item.org_path[:i] for i in range(4, len(item.org_path) + 1, 4)]),
    })


@login_required
@require_POST
def lead_reveal(request, pk):
    item = _lead(request, pk)
    name, phone = services.reveal_reporter(request.user, item)
    messages.info(request, f"举报人：{name or '（匿名）'}，电话：{phone or '（未留）'}（本次查看已记入审计日志）")
    return redirect("discipline:lead", item.pk)


@login_required
def campaigns(request):
    root = _lead_root(request)
    if request.method == "POST":
        try:
            services.create_campaign(request.user, root, name=request.POST.get("name"), starts_on=_date(request.POST.get("starts_on")),
                                     ends_on=_date(request.POST.get("ends_on")))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "专项整治已建立")
        return redirect(f"{request.path}?org={root.pk}")
    items = Campaign.objects.visible_to(request.user).filter(org_path__startswith=root.path).select_related("org").annotate(n=Count("leads"))
    return render(request, "discipline/campaigns.html", {"root": root, "items": items})


def campaign_counts(user, campaign):
    """([{category, label, total, concluded, true, published}], totals) of a campaign's leads, counted in SQL."""
    rows = list(Lead.objects.visible_to(user).filter(campaign=campaign).values("category").annotate(
        total=Count("id"), concluded=Count("id", filter=Q(state__in=[LeadState.CONCLUDED, LeadState.BULLETIN])),
        true=Count("id", filter=Q(finding__in=["true", "partly"])), published=Count("id", filter=Q(state=LeadState.BULLETIN)),
    ).order_by("category"))
    labels = dict(Category.choices)
    for r in rows:
        r["label"] = labels[r["category"]]
    totals = {k: sum(r[k] for r in rows) for k in ("total", "concluded", "true", "published")}
    return rows, totals


def _campaign_report(request, pk):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("org"), pk=pk)
    rows, totals = campaign_counts(request.user, campaign)
    return campaign, rows, totals


@login_required
def campaign_report(request, pk):
    campaign, rows, totals = _campaign_report(request, pk)
    upper = Organization.objects.get_parent(campaign.org)
    return render(request, "discipline/campaign_report.html", {"campaign": campaign, "rows": rows, "totals": totals, "upper": upper,
                                                               "today": timezone.localdate()})


@login_required
def campaign_report_export(request, pk):
    campaign, rows, totals = _campaign_report(request, pk)
    data = [[r["label"], r["total"], r["concluded"], r["true"], r["published"]] for r in rows]
    data.append(["合计", totals["total"], totals["concluded"], totals["true"], totals["published"]])
    return xlsx_response(f"专项整治情况报告-{campaign.pk}", "专项整治", ["问题类别", "受理线索", "已办结", "属实或部分属实", "已通报"], data)


# ---- plaques and temporary bodies ------------------------------------------------------------------------------


def _org(request):
    value = request.GET.get("org", "")
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=int(value)) if value.isdigit() else scope_org(request)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该党组织台账的权限")
    return org


@login_required
def bodies(request):
    org = _org(request)
    if request.method == "POST":
        target = Organization.objects.filter(path__startswith=org.path, pk=request.POST.get("org") or 0).first() or org
        try:
            services.register_body(request.user, target, kind=request.POST.get("kind"), name=request.POST.get("name"),
                                   issuing_dept=request.POST.get("issuing_dept"), set_up_on=_date(request.POST.get("set_up_on")),
                                   note=request.POST.get("note"), photos=request.FILES.getlist("photos"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已登记")
        return redirect(f"{request.path}?org={org.pk}")
    qs = (Body.objects.visible_to(request.user).filter(org_path__startswith=org.path).select_related("org").annotate(n_photos=Count("photos"))
          .order_by("org_path", "kind", "name", "id"))
    if request.GET.get("decision") in BodyDecision.values:
        qs = qs.filter(decision=request.GET["decision"])
    counts = dict(Body.objects.visible_to(request.user).filter(org_path__startswith=org.path).values_list("decision").annotate(n=Count("id")))
    labels = dict(BodyDecision.choices)
    return render(request, "discipline/bodies.html", {
        "org": org, "page": paginate(request, qs), "query": query_without_page(request), "kinds": BodyKind.choices,
        "counts": [(k, labels[k], counts.get(k, 0)) for k in BodyDecision.values], "decisions": BodyDecision.choices,
        "chart": {"labels": [labels[k] for k in BodyDecision.values], "values": [counts.get(k, 0) for k in BodyDecision.values]},
        "can_manage": scoping.can_manage_org(request.user, org),
        "targets": Organization.objects.filter(path__startswith=org.path, is_active=True).exclude(kind="group").order_by("path")[:500],
    })


@login_required
def bodies_export(request):
    org = _org(request)
    rows = ([b.org.name, b.get_kind_display(), b.name, b.issuing_dept, b.set_up_on, b.get_decision_display(), b.merged_into, b.decided_on, b.note]
            for b in Body.objects.visible_to(request.user).filter(org_path__startswith=org.path).select_related("org"))
    return xlsx_response("挂牌和临时机构清理台账", "挂牌清理", ["所在单位", "类别", "名称", "要求设立的部门", "设立日期", "清理结果", "整合至", "清理日期", "说明"], rows)


@login_required
def body(request, pk):
    item = get_object_or_404(Body.objects.visible_to(request.user).select_related("org"), pk=pk)
    if request.method == "POST":
        try:
            services.decide_body(request.user, item, decision=request.POST.get("decision"), decided_on=_date(request.POST.get("decided_on")),
                                 merged_into=request.POST.get("merged_into"), note=request.POST.get("note"), photos=request.FILES.getlist("photos"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "清理结果已保存")
        return redirect("discipline:body", item.pk)
    return render(request, "discipline/body.html", {"b": item, "photos": list(item.photos.all()), "decisions": BodyDecision.choices[1:],
                                                    "today": timezone.localdate(), "can_manage": scoping.can_manage_org(request.user, item.org)})


@login_required
def body_photo(request, pk):
    photo = get_object_or_404(BodyPhoto.objects.filter(body__in=Body.objects.visible_to(request.user)), pk=pk)
    return FileResponse(photo.file.open("rb"), filename=photo.original_name, content_type=photo.content_type)


# ---- burden register --------------------------------------------------------------------------------------------


@login_required
def burdens(request):
    org = _org(request)
    if request.method == "POST":
        try:
            services.report_burden(request.user, org, kind=request.POST.get("kind"), title=request.POST.get("title"),
                                   issuing_dept=request.POST.get("issuing_dept"), times_per_year=request.POST.get("times_per_year") or 1,
                                   hours_each=request.POST.get("hours_each") or 0, duplicate=bool(request.POST.get("duplicate")),
                                   duplicate_of=request.POST.get("duplicate_of"), note=request.POST.get("note"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已登记")
        return redirect(f"{request.path}?org={org.pk}")
    base = Burden.objects.visible_to(request.user).filter(org_path__startswith=org.path)
    qs = base.select_related("org")
    if request.GET.get("kind") in BurdenKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("duplicate") == "1":
        qs = qs.filter(duplicate=True)
    by_dept = list(base.values("issuing_dept").annotate(n=Count("id"), dup=Count("id", filter=Q(duplicate=True)),
                                                        cut=Count("id", filter=Q(state=BurdenState.CUT))).order_by("-n")[:20])
    return render(request, "discipline/burdens.html", {
        "org": org, "page": paginate(request, qs), "query": query_without_page(request), "kinds": BurdenKind.choices, "by_dept": by_dept,
        "can_manage": scoping.can_manage_org(request.user, org), "states": [(BurdenState.CUT, "精简"), (BurdenState.KEPT, "确需保留")],
        "chart": {"labels": [r["issuing_dept"] for r in by_dept], "values": [r["n"] for r in by_dept], "dup": [r["dup"] for r in by_dept]},
    })


@login_required
def burdens_export(request):
    org = _org(request)
    rows = ([b.org.name, b.get_kind_display(), b.title, b.issuing_dept, b.times_per_year, b.hours_each, "是" if b.duplicate else "", b.duplicate_of,
             b.get_state_display(), b.reported_on] for b in Burden.objects.visible_to(request.user).filter(org_path__startswith=org.path).select_related("org"))
    return xlsx_response("基层负担登记表", "基层负担", ["登记单位", "类别", "名称", "下达部门", "每年次数", "每次耗时", "重复", "与之重复", "状态", "登记日期"], rows)


@login_required
def burdens_template(request):
    _org(request)
    return xlsx_response("基层负担登记表模板", "基层负担", imports.TEMPLATE_HEADERS, [imports.TEMPLATE_EXAMPLE])


@login_required
@require_POST
def burdens_import(request):
    org = _org(request)
    try:
        made = services.import_burdens(request.user, org, imports.read_rows(request.FILES.get("file")))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已导入 {len(made)} 项")
    return redirect(reverse("discipline:burdens") + f"?org={org.pk}")


@login_required
@require_POST
def burden_decide(request, pk):
    item = get_object_or_404(Burden.objects.visible_to(request.user), pk=pk)
    try:
        services.decide_burden(request.user, item, state=request.POST.get("state"), note=request.POST.get("note"))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已确认")
    return redirect(reverse("discipline:burdens") + f"?org={item.org_id}")


@login_required
def generated(request):
    return render(request, "discipline/generated.html", {"rows": ledgers.available()})


