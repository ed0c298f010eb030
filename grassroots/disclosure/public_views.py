"""The public portal: no login, no JavaScript needed, only published items and visible questions.

Every page here is open to anyone; nothing in it depends on who is asking. Forms are plain POSTs that
redirect (POST-redirect-GET)."""

from decimal import Decimal

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from grassroots.core.excel import xlsx_response
from grassroots.core.registry import app_modules
from grassroots.orgs.models import Organization

from . import services
from .choices import Category, QuestionState
from .forms import QuestionForm
from .models import Attachment, Disclosure, Schedule

STEP = Organization.steplen


def public_units():
    """Villages and communities that publish here: those with a published item or a schedule."""
    with_items = Disclosure.objects.public().values("org_id")
    with_schedules = Schedule.objects.filter(is_active=True).values("org_id")
    return Organization.objects.filter(Q(pk__in=with_items) | Q(pk__in=with_schedules))


def _unit_or_404(org_pk):
    return get_object_or_404(public_units(), pk=org_pk)


def public_base_url(request):
    """The absolute origin printed in QR codes: settings.GRASSROOTS_PUBLIC_BASE_URL, else this request's."""
    base = getattr(settings, "GRASSROOTS_PUBLIC_BASE_URL", "") or ""
    return base.rstrip("/") if base else request.build_absolute_uri("/").rstrip("/")


def verify_absolute_url(request, disclosure):
    return public_base_url(request) + reverse("portal:verify", args=[disclosure.pk])


def qr_inline(request, disclosure):
    """The QR code of the item's verification page as inline SVG (markup, not script: fine under the CSP)."""
    url = verify_absolute_url(request, disclosure)
    svg = segno.make(url, error="m").svg_inline(scale=4, omitsize=True, svgclass="qr", lineclass=None)
    label = escape(f"二维码：扫码打开《{disclosure.title}》的验证页")
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308 - segno output, escaped label


def _item_or_404(pk):
    return get_object_or_404(Disclosure.objects.public().select_related("org", "supersedes"), pk=pk)


@require_GET
def index(request):
    q = request.GET.get("q", "").strip()[:50]
    units = public_units().annotate(item_count=Count("disclosures", filter=Q(disclosures__published_at__isnull=False)))
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(initials__icontains=q.lower()))
    units = list(units.order_by("path")[:500])
    ancestor_paths = {u.path[: STEP * 2] for u in units} | {u.path[: STEP * 3] for u in units if u.depth > 3}
    ancestors = {o.path: o for o in Organization.objects.filter(path__in=ancestor_paths)}
    districts = {}
    for unit in units:
        district = ancestors.get(unit.path[: STEP * 2])
        township = ancestors.get(unit.path[: STEP * 3]) if unit.depth > 3 else None
        d = districts.setdefault(unit.path[: STEP * 2], {"org": district, "townships": {}})
        t = d["townships"].setdefault(township.path if township else "", {"org": township, "units": []})
        t["units"].append(unit)
    groups = [
        {"org": d["org"], "townships": [t for _k, t in sorted(d["townships"].items())]} for _k, d in sorted(districts.items())
    ]
    return render(request, "public/index.html", {"groups": groups, "q": q, "count": len(units)})


def _group_by_category(items):
    order = {c.value: i for i, c in enumerate(Category)}
    groups = {}
    for item in items:
        groups.setdefault(item.category, []).append(item)
    return [{"category": c, "label": Category(c).label, "items": groups[c]} for c in sorted(groups, key=order.get)]


@require_GET
def org_page(request, org_pk):
    org = _unit_or_404(org_pk)
    items = list(
        Disclosure.objects.public().filter(org=org).select_related("superseded_by")
        .annotate(question_count=Count("questions")).order_by("-published_at", "-id")[:300]
    )
    matters = [i for i in items if i.category == Category.RESOLUTION and i.source_url and i.is_current]
    broken = services.verify_org_chain(org, check_files=False)
    return render(request, "public/org.html", {
        "org": org, "groups": _group_by_category(items), "matters": matters, "broken": broken, "count": len(items),
    })


def _versions(disclosure):
    """Every version of the item, oldest first (the chain of corrections through `supersedes`)."""
    older = []
    current = disclosure
    while current.supersedes_id:
        current = Disclosure.objects.public().get(pk=current.supersedes_id)
        older.append(current)
    newer = []
    current = disclosure
    while True:
        nxt = Disclosure.objects.public().filter(supersedes=current).first()
        if nxt is None:
            break
        newer.append(nxt)
        current = nxt
    return [*reversed(older), disclosure, *newer]


def _item_context(request, disclosure, form=None):
    questions = list(disclosure.questions.public().order_by("asked_at", "id"))
    hidden = disclosure.questions.filter(state=QuestionState.HIDDEN).count()
    table_totals = services.table_totals(disclosure.table) if disclosure.table else None
    return {
        **_contributed(disclosure),
        "d": disclosure, "org": disclosure.org, "attachments": list(disclosure.attachments.all()),
        "versions": _versions(disclosure), "questions": questions,
        "hidden_count": hidden, "form": form or QuestionForm(), "qr": qr_inline(request, disclosure),
        "verify_url": verify_absolute_url(request, disclosure), "totals": table_totals,
    }


def _contributed(disclosure):
    """What other apps show on a disclosure's public page, from their `portal_items.py` (`for_disclosure(d)` returns
    template context: the supervisory committee's opinions come from decisions), so disclosure imports none of them."""
    extra = {"opinions": []}
    for _, module in app_modules("portal_items"):
        extra.update(module.for_disclosure(disclosure))
    return extra


@require_GET
def item(request, pk):
    disclosure = _item_or_404(pk)
    return render(request, "public/item.html", _item_context(request, disclosure))


def client_ip(request):
    from grassroots.core import context

    return context.current_client_ip() or request.META.get("REMOTE_ADDR", "")


@require_POST
def ask(request, pk):
    disclosure = _item_or_404(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["website"]:  # the honeypot: a robot; answer as if it worked, keep nothing
            messages.success(request, "提问已提交，村（社区）将在此公开答复。")
            return redirect(reverse("portal:item", args=[pk]) + "#questions")
        try:
            services.ask_question(disclosure, name=form.cleaned_data["name"], text=form.cleaned_data["text"], ip=client_ip(request))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "提问已提交，村（社区）将在此公开答复。")
            return redirect(reverse("portal:item", args=[pk]) + "#questions")
    return render(request, "public/item.html", _item_context(request, disclosure, form), status=400)


@require_GET
def verify(request, pk):
    disclosure = _item_or_404(pk)
    ok, broken = services.verify_item(disclosure)
    return render(request, "public/verify.html", {
        "d": disclosure, "org": disclosure.org, "ok": ok, "broken": broken, "attachments": list(disclosure.attachments.all()),
    })


@require_GET
def qr_svg(request, pk):
    disclosure = _item_or_404(pk)
    url = verify_absolute_url(request, disclosure)
    import io

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, title=f"{disclosure.title} 验证二维码")
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
def notice(request, pk):
    """The printable sheet for the notice board: the item, its table and the QR code (not the questions)."""
    disclosure = _item_or_404(pk)
    return render(request, "public/notice.html", {
        "d": disclosure, "org": disclosure.org, "qr": qr_inline(request, disclosure), "verify_url": verify_absolute_url(request, disclosure),
        "totals": services.table_totals(disclosure.table) if disclosure.table else None,
    })


@require_GET
def table_xlsx(request, pk):
    disclosure = _item_or_404(pk)
    if not disclosure.table:
        raise Http404("该公开内容没有收支明细")
    income, expenditure, balance = services.table_totals(disclosure.table)
    rows = [[r["item"], Decimal(r["income"]), Decimal(r["expenditure"])] for r in disclosure.table["rows"]]
    rows.append(["合计", income, expenditure])
    rows.append(["结余（收入减支出）", balance, None])
    name = f"{disclosure.org.short_name or disclosure.org.name}-{disclosure.period_label or disclosure.title}-收支明细"
    return xlsx_response(name, "收支明细", ["项目", "收入（元）", "支出（元）"], rows)


@require_GET
def attachment(request, pk):
    """Download one file of a published item (all items are published; the file is served as stored)."""
    a = get_object_or_404(Attachment.objects.select_related("disclosure").filter(disclosure__published_at__isnull=False), pk=pk)
    try:
        handle = a.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(handle, content_type=a.content_type, as_attachment=not a.is_image and a.content_type != "application/pdf",
                            filename=a.original_name)
    response["Cache-Control"] = "public, max-age=3600"
    return response

