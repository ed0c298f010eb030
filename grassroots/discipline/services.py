"""Every change in discipline goes through these functions (atomic, checked, audited).

- Leads: anyone reports through the public page (anonymous or named; the name and phone are encrypted); the
  discipline role in scope registers leads from letters, visits and inspections, verifies, concludes and
  publishes the 通报 every concluded lead produces. Nobody else reads a lead (scoping.discipline_paths).
- Plaques and temporary bodies, and the burden register: managers of the organization keep them.
"""

import datetime
import hashlib
import secrets
import uuid

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from grassroots.core import audit, crypto, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError, field_errors
from grassroots.core.roles import Role
from grassroots.orgs.models import Organization

from . import rules
from .choices import BodyDecision, BodyKind, BurdenKind, BurdenState, Category, Finding, LeadState, Source
from .models import Body, BodyPhoto, Bulletin, Burden, Campaign, Lead


def _text(value, field, label, max_length=None, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"请填写{label}"})
    if max_length and len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 字"})
    return value


def _date(value, field, label):
    if not isinstance(value, datetime.date):
        raise ValidationError({field: f"请填写{label}"})
    if value > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天"})
    return value


def can_handle(user, org_path):
    return scoping.covers(scoping.discipline_paths(user), org_path)


def _require_handle(user, org_path):
    if not can_handle(user, org_path):
        raise PermissionDenied("只有本范围的纪检人员才能办理问题线索")


def discipline_users(org):
    """Discipline accounts whose role covers `org` (they are told of a new report)."""
    from grassroots.accounts.models import RoleAssignment, User

    paths = [org.path[:i] for i in range(4, len(org.path) + 1, 4)]
    ids = RoleAssignment.objects.filter(revoked_at__isnull=True, role=Role.DISCIPLINE, org__path__in=paths).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def _next_number(today):
    prefix = f"XS{today:%Y}"
    last = Lead.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def client_hash(ip):
    from django.conf import settings

    return hashlib.sha256(f"{settings.SECRET_KEY}:jubao:{ip or ''}".encode()).hexdigest()


def _clean_lead(org, category, summary, detail):
    errors = {}
    if org is None or not org.is_active:
        errors["org"] = "请选择被反映的单位"
    if category not in Category.values:
        errors["category"] = "请选择问题类别"
    summary = (summary or "").strip()
    detail = (detail or "").strip()
    if not summary:
        errors["summary"] = "请填写问题摘要"
    elif len(summary) > rules.SUMMARY_MAX_CHARS:
        errors["summary"] = f"问题摘要不能超过 {rules.SUMMARY_MAX_CHARS} 字"
    if len(detail) < rules.DETAIL_MIN_CHARS:
        errors["detail"] = f"反映内容至少 {rules.DETAIL_MIN_CHARS} 个字"
    elif len(detail) > rules.DETAIL_MAX_CHARS:
        errors["detail"] = f"反映内容不能超过 {rules.DETAIL_MAX_CHARS} 字"
    if errors:
        raise ValidationError(errors)
    return summary, detail


def submit_report(*, org, category, summary, detail, accused="", name="", phone="", ip=""):
    """A report from the public page (no login). Anonymous unless a name is given; name and phone are encrypted.
    Rate-limited per address (cache), like the disclosure portal's questions. Returns (lead, query code): the
    code is shown once so the reporter can ask about the outcome; only its hash is kept."""
    from django.core.cache import cache

    summary, detail = _clean_lead(org, category, summary, detail)
    name, phone = (name or "").strip()[:50], (phone or "").strip()[:30]
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError({"phone": "联系电话只能包含数字"})
    key = f"discipline:report:{client_hash(ip)}"
    count = cache.get(key, 0)
    if count >= rules.reports_per_hour():
        raise ValidationError({"detail": "提交过于频繁，请一小时后再试"})
    code = secrets.token_hex(6).upper()
    today = timezone.localdate()
    with transaction.atomic():
        lead = Lead.objects.create(
            org=org, org_path=org.path, number=_next_number(today), source=Source.PORTAL, category=category, accused=(accused or "").strip()[:100],
            summary=summary, detail=detail, received_on=today, anonymous=not name, reporter_name_enc=crypto.encrypt(name),
            reporter_phone_enc=crypto.encrypt(phone), query_code_hash=crypto.lookup_hash(code), client_hash=client_hash(ip),
        )
        audit.record(audit.Action.CREATE, lead, org_path=org.path, actor=None, note="群众网上举报", object_repr=f"问题线索 {lead.number}")
    cache.set(key, count + 1, 3600)
    notifications.notify(discipline_users(org), title=f"新问题线索 {lead.number}", body=lead.get_category_display(),
                         link=reverse("discipline:lead", args=[lead.pk]), kind=notifications.Kind.DISCIPLINE, org_path=org.path)
    return lead, code


def lead_by_code(number, code):
    """The reporter's look-up: number and query code, both needed."""
    if not number or not code:
        return None
    return Lead.objects.filter(number=number.strip().upper(), query_code_hash=crypto.lookup_hash(code.strip().upper())).first()


@transaction.atomic
def register_lead(actor, org, *, source, category, summary, detail, received_on, accused="", name="", phone="", campaign=None):
    """A lead from a letter, a visit, an inspection or a supervision visit, registered by the discipline role."""
    if org is None:
        raise ValidationError({"org": "请选择被反映的单位"})
    _require_handle(actor, org.path)
    if source not in Source.values or source == Source.PORTAL:
        raise ValidationError({"source": "请选择线索来源"})
    summary, detail = _clean_lead(org, category, summary, detail)
    received_on = _date(received_on, "received_on", "受理日期")
    if campaign is not None and not org.path.startswith(campaign.org_path):
        raise ValidationError({"campaign": "该单位不在专项整治范围内"})
    name, phone = (name or "").strip()[:50], (phone or "").strip()[:30]
    lead = Lead.objects.create(
        org=org, org_path=org.path, number=_next_number(received_on), source=source, category=category, accused=(accused or "").strip()[:100],
        summary=summary, detail=detail, received_on=received_on, anonymous=not name, reporter_name_enc=crypto.encrypt(name),
        reporter_phone_enc=crypto.encrypt(phone), campaign=campaign, created_by=actor,
    )
    audit.record(audit.Action.CREATE, lead, after={"source": source, "category": category}, org_path=org.path, actor=actor,
                 note=f"登记问题线索 {lead.number}", object_repr=f"问题线索 {lead.number}")
    return lead


def _lock(lead):
    return Lead.objects.select_for_update(of=("self",)).select_related("org").get(pk=lead.pk)


@transaction.atomic
def verify_lead(actor, lead, *, verification, verified_on, finding):
    lead = _lock(lead)
    _require_handle(actor, lead.org_path)
    if lead.state != LeadState.ACCEPTED:
        raise ValidationError(f"该线索{lead.get_state_display()}，不能再登记核实情况")
    if finding not in Finding.values:
        raise ValidationError({"finding": "请选择核实结论"})
    lead.verification = _text(verification, "verification", "核实情况", 5000)
    lead.verified_on = _date(verified_on, "verified_on", "核实日期")
    if lead.verified_on < lead.received_on:
        raise ValidationError({"verified_on": "核实日期不能早于受理日期"})
    lead.finding, lead.state = finding, LeadState.VERIFIED
    lead.save(update_fields=["verification", "verified_on", "finding", "state"])
    audit.record(audit.Action.CONFIRM, lead, after={"finding": finding}, org_path=lead.org_path, actor=actor, note=f"核实线索 {lead.number}",
                 object_repr=f"问题线索 {lead.number}")
    return lead


@transaction.atomic
def conclude_lead(actor, lead, *, conclusion, concluded_on):
    """Conclude a verified lead; its 通报 is drafted at once (published separately)."""
    lead = _lock(lead)
    _require_handle(actor, lead.org_path)
    if lead.state != LeadState.VERIFIED:
        raise ValidationError("线索须先核实，才能办结")
    lead.conclusion = _text(conclusion, "conclusion", "处理结果", 5000)
    lead.concluded_on = _date(concluded_on, "concluded_on", "办结日期")
    if lead.concluded_on < lead.verified_on:
        raise ValidationError({"concluded_on": "办结日期不能早于核实日期"})
    lead.state = LeadState.CONCLUDED
    lead.save(update_fields=["conclusion", "concluded_on", "state"])
    Bulletin.objects.create(lead=lead, org_path=lead.org_path, title=f"关于{lead.org}{lead.get_category_display()}问题的通报", body=draft_bulletin(lead))
    audit.record(audit.Action.CLOSE, lead, after={"conclusion": lead.conclusion}, org_path=lead.org_path, actor=actor, note=f"办结线索 {lead.number}",
                 object_repr=f"问题线索 {lead.number}")
    return lead


def draft_bulletin(lead):
    """The 通报's draft: what was reported, what was found and what was done, without the reporter."""
    return (
        f"{lead.received_on:%Y年%m月}，{lead.org}被反映存在{lead.get_category_display()}问题（{lead.summary}）。"
        f"经核实，反映问题{lead.get_finding_display()}。{lead.verification}\n处理结果：{lead.conclusion}"
    )


@transaction.atomic
def publish_bulletin(actor, bulletin, *, title, body):
    """Release the 通报 on the public page (edited first if needed); the lead becomes 已通报."""
    bulletin = Bulletin.objects.select_for_update(of=("self",)).select_related("lead").get(pk=bulletin.pk)
    _require_handle(actor, bulletin.org_path)
    if bulletin.published_at is not None:
        raise ValidationError("该通报已公开，不能再修改")
    bulletin.title, bulletin.body = _text(title, "title", "通报标题", 200), _text(body, "body", "通报内容", 10000)
    bulletin.published_at, bulletin.published_by = timezone.now(), actor
    bulletin.save(update_fields=["title", "body", "published_at", "published_by"])
    Lead.objects.filter(pk=bulletin.lead_id).update(state=LeadState.BULLETIN)
    audit.record(audit.Action.PUBLISH, bulletin, after={"title": bulletin.title}, org_path=bulletin.org_path, actor=actor, note="公开通报")
    return bulletin


@transaction.atomic
def reveal_reporter(actor, lead):
    """The reporter's name and phone in full, for the discipline role only; audited."""
    _require_handle(actor, lead.org_path)
    audit.record(audit.Action.REVEAL, lead, org_path=lead.org_path, actor=actor, note=f"查看线索 {lead.number} 举报人信息",
                 object_repr=f"问题线索 {lead.number}")
    return crypto.decrypt(lead.reporter_name_enc), crypto.decrypt(lead.reporter_phone_enc)


@transaction.atomic
def create_campaign(actor, org, *, name, starts_on, ends_on):
    _require_handle(actor, org.path)
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise ValidationError({"starts_on": "请填写起止日期"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    campaign = Campaign.objects.create(org=org, org_path=org.path, name=_text(name, "name", "专项整治名称", 200), starts_on=starts_on, ends_on=ends_on,
                                       created_by=actor)
    audit.record(audit.Action.CREATE, campaign, after={"name": campaign.name}, org_path=org.path, actor=actor, note="建立专项整治")
    return campaign


@transaction.atomic
def assign_campaign(actor, lead, campaign):
    lead = _lock(lead)
    _require_handle(actor, lead.org_path)
    if campaign is not None and not lead.org_path.startswith(campaign.org_path):
        raise ValidationError({"campaign": "该线索不在专项整治范围内"})
    lead.campaign = campaign
    lead.save(update_fields=["campaign"])
    audit.record(audit.Action.ASSIGN, lead, after={"campaign": campaign.pk if campaign else None}, org_path=lead.org_path, actor=actor,
                 note="归入专项整治", object_repr=f"问题线索 {lead.number}")
    return lead


# ---- plaques and temporary bodies ----------------------------------------------------------------------------------


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织台账的权限")


def _check_photo(uploaded):
    from grassroots.core.uploads import read_upload
    from grassroots.tracking import rules as tracking_rules

    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = getattr(uploaded, "size", None) or 0
    ext = tracking_rules.extension(name)
    if ext not in ("jpg", "jpeg", "png"):
        raise ValidationError({"photos": f"《{name}》：只能上传 jpg、png 照片"})
    head, sha256 = (b"", "") if size > tracking_rules.file_max_bytes() else read_upload(uploaded, tracking_rules.HEAD_BYTES)
    message = tracking_rules.file_error(name, size, head)
    if message:
        raise ValidationError({"photos": f"《{name}》：{message}"})
    return name, size, sha256, tracking_rules.FILE_SIGNATURES[ext][0]


def _store_photos(body, photos, taken_on):
    photos = [p for p in photos if p]
    if body.photos.count() + len(photos) > rules.PHOTOS_PER_BODY:
        raise ValidationError({"photos": f"每项最多 {rules.PHOTOS_PER_BODY} 张照片"})
    checked = [(p, *_check_photo(p)) for p in photos]
    for uploaded, name, size, sha256, content_type in checked:
        row = BodyPhoto(body=body, original_name=name, size=size, sha256=sha256, content_type=content_type, taken_on=taken_on)
        row.file.save(f"{uuid.uuid4().hex}.{name.rsplit('.', 1)[-1].lower()}", uploaded, save=False)
        row.save()
    return len(checked)


@transaction.atomic
def register_body(actor, org, *, kind, name, issuing_dept="", set_up_on=None, note="", photos=()):
    _require_manage(actor, org)
    if kind not in BodyKind.values:
        raise ValidationError({"kind": "请选择类别"})
    body = Body.objects.create(org=org, org_path=org.path, kind=kind, name=_text(name, "name", "名称", 200),
                               issuing_dept=_text(issuing_dept, "issuing_dept", "要求设立的部门", 100, required=False), set_up_on=set_up_on,
                               note=(note or "").strip(), created_by=actor)
    _store_photos(body, photos, set_up_on)
    audit.record(audit.Action.CREATE, body, after={"kind": kind, "name": body.name}, org_path=org.path, actor=actor, note=f"登记{body.get_kind_display()}")
    return body


@transaction.atomic
def decide_body(actor, body, *, decision, decided_on, merged_into="", note="", photos=()):
    """Keep, merge or remove a plaque or temporary body (with photos of the result and the date)."""
    body = Body.objects.select_for_update(of=("self",)).select_related("org").get(pk=body.pk)
    _require_manage(actor, body.org)
    if decision not in (BodyDecision.KEEP, BodyDecision.MERGE, BodyDecision.REMOVE):
        raise ValidationError({"decision": "请选择保留、整合或撤除"})
    decided_on = _date(decided_on, "decided_on", "清理日期")
    if decision == BodyDecision.MERGE and not (merged_into or "").strip():
        raise ValidationError({"merged_into": "整合须写明整合至哪个机构"})
    before = audit.snapshot(body, ["decision", "decided_on", "merged_into"])
    body.decision, body.decided_on = decision, decided_on
    body.merged_into = (merged_into or "").strip()[:200] if decision == BodyDecision.MERGE else ""
    if note:
        body.note = (body.note + "\n" + note.strip()).strip()
    body.save(update_fields=["decision", "decided_on", "merged_into", "note"])
    _store_photos(body, photos, decided_on)
    audit.record(audit.Action.UPDATE, body, before=before, after=audit.snapshot(body, ["decision", "decided_on", "merged_into"]),
                 org_path=body.org_path, actor=actor, note=f"清理{body.get_kind_display()}：{body.get_decision_display()}")
    return body


# ---- burden register -----------------------------------------------------------------------------------------------


@transaction.atomic
def report_burden(actor, org, *, kind, title, issuing_dept, times_per_year=1, hours_each=0, duplicate=False, duplicate_of="", note=""):
    _require_manage(actor, org)
    if kind not in BurdenKind.values:
        raise ValidationError({"kind": "请选择类别"})
    if duplicate and not (duplicate_of or "").strip():
        raise ValidationError({"duplicate_of": "请写明与哪项会议、台账或报表重复"})
    try:
        times_per_year = int(times_per_year)
    except (TypeError, ValueError):
        raise ValidationError({"times_per_year": "每年次数须为整数"}) from None
    if not 0 < times_per_year <= 365:
        raise ValidationError({"times_per_year": "每年次数须在 1 到 365 之间"})
    burden = Burden.objects.create(
        org=org, org_path=org.path, kind=kind, title=_text(title, "title", "名称", 200), issuing_dept=_text(issuing_dept, "issuing_dept", "下达部门", 100),
        times_per_year=times_per_year, hours_each=_hours(hours_each), duplicate=bool(duplicate), duplicate_of=(duplicate_of or "").strip()[:200] if duplicate else "",
        note=(note or "").strip(), reported_on=timezone.localdate(), created_by=actor,
    )
    audit.record(audit.Action.CREATE, burden, after={"kind": kind, "title": burden.title, "dept": burden.issuing_dept, "duplicate": burden.duplicate},
                 org_path=org.path, actor=actor, note=f"登记基层负担「{burden.title}」")
    return burden


def _hours(value):
    from decimal import Decimal, InvalidOperation

    try:
        hours = Decimal(str(value or 0))
    except InvalidOperation:
        raise ValidationError({"hours_each": "每次耗时须为数字"}) from None
    if hours < 0 or hours > 1000:
        raise ValidationError({"hours_each": "每次耗时须在 0 到 1000 小时之间"})
    return hours.quantize(Decimal("0.1"))


def import_burdens(actor, org, rows):
    """Register every row of an uploaded burden register (imports.read_rows), or none: each bad row is reported with
    its line number and reason, and nothing is saved."""
    from . import imports

    _require_manage(actor, org)
    errors, made = [], []
    with transaction.atomic():
        for line, (kind, title, dept, times, hours, duplicate_of, note) in rows:
            try:
                with transaction.atomic():
                    made.append(report_burden(actor, org, kind=imports.kind_of(kind), title=title, issuing_dept=dept, times_per_year=times or 1,
                                              hours_each=_hours(hours), duplicate=bool(duplicate_of), duplicate_of=duplicate_of, note=note))
            except ValidationError as exc:
                reasons = [m for msgs in field_errors(exc).values() for m in msgs]
                errors.append(f"第 {line} 行：{'；'.join(reasons)}")
        if errors:
            raise ValidationError({"file": errors})
    return made


@transaction.atomic
def decide_burden(actor, burden, *, state, note=""):
    """A manager above the reporting organization decides: cut (精简) or kept as needed."""
    burden = Burden.objects.select_for_update(of=("self",)).select_related("org").get(pk=burden.pk)
    parent = Organization.objects.get_parent(burden.org)
    if parent is None or not scoping.can_manage_org(actor, parent):
        raise PermissionDenied("须由上级党组织确认精简或保留")
    if state not in (BurdenState.CUT, BurdenState.KEPT):
        raise ValidationError({"state": "请选择精简或保留"})
    before = {"state": burden.state}
    burden.state = state
    if note:
        burden.note = (burden.note + "\n" + note.strip()).strip()
    burden.save(update_fields=["state", "note"])
    audit.record(audit.Action.UPDATE, burden, before=before, after={"state": state}, org_path=burden.org_path, actor=actor,
                 note=f"基层负担「{burden.title}」：{burden.get_state_display()}")
    return burden
