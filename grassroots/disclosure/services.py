"""Every write of the disclosure app: publish, correct, schedules, questions (ask, answer, hide).

Published items are immutable: there is deliberately no update or delete service. A correction is a new
item in the same chain that points to the one it replaces."""

import hashlib
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, hashchain, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.uploads import read_upload
from grassroots.orgs.models import Organization

from . import rules
from .choices import ROUTINE_CATEGORIES, Category, Frequency, QuestionState
from .models import Attachment, ChainHead, Disclosure, Question, Schedule

CENT = Decimal("0.01")


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("该单位不在您的管理范围内")


def _publisher_name(actor):
    if actor is None:
        return ""
    return getattr(actor, "full_name", "") or actor.get_username()


# ---- income and expenditure tables ------------------------------------------------------------------------


def _money(value, label, errors, line):
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        return Decimal("0.00")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors.append(f"第 {line} 行{label}“{text}”不是有效金额")
        return None
    if not amount.is_finite() or amount < 0:
        errors.append(f"第 {line} 行{label}不能为负数")
        return None
    if amount != amount.quantize(CENT):
        errors.append(f"第 {line} 行{label}最多两位小数")
        return None
    return amount.quantize(CENT)


def clean_table(rows, *, totals=None):
    """Validate an income/expenditure table: rows of (item, income, expenditure) with amounts >= 0 and at most
    two decimals. `totals` (income, expenditure), when the source gave a 合计 row, must equal the sums.
    Returns {"rows": [...]} with amounts as strings, or raises ValidationError({"table": [...]})."""
    errors, cleaned = [], []
    for line, row in enumerate(rows, start=1):
        item = str(row.get("item", "") or "").strip()
        income = _money(row.get("income"), "收入", errors, line)
        expenditure = _money(row.get("expenditure"), "支出", errors, line)
        if not item and not (income or expenditure):
            continue  # a blank line
        if not item:
            errors.append(f"第 {line} 行缺少项目名称")
        elif len(item) > 200:
            errors.append(f"第 {line} 行项目名称过长")
        if income is not None and expenditure is not None and item:
            cleaned.append({"item": item, "income": str(income), "expenditure": str(expenditure)})
    if not cleaned and not errors:
        errors.append("收支明细至少需要一行")
    if not errors and totals is not None:
        income_total, expenditure_total = table_totals({"rows": cleaned})[:2]
        given_income = _money(totals[0], "合计收入", errors, "合计")
        given_expenditure = _money(totals[1], "合计支出", errors, "合计")
        if given_income is not None and given_income != income_total:
            errors.append(f"合计收入 {given_income} 与明细之和 {income_total} 不符")
        if given_expenditure is not None and given_expenditure != expenditure_total:
            errors.append(f"合计支出 {given_expenditure} 与明细之和 {expenditure_total} 不符")
    if errors:
        raise ValidationError({"table": errors})
    return {"rows": cleaned}


def table_totals(table):
    """(income total, expenditure total, balance) of a table as Decimals."""
    income = sum((Decimal(r["income"]) for r in table["rows"]), Decimal("0.00"))
    expenditure = sum((Decimal(r["expenditure"]) for r in table["rows"]), Decimal("0.00"))
    return income.quantize(CENT), expenditure.quantize(CENT), (income - expenditure).quantize(CENT)


def read_table_xlsx(uploaded):
    """Rows of an Excel income/expenditure table (python-calamine): the first sheet, a header row naming
    项目/收入/支出 columns, then data rows; a row whose item starts with 合计 gives the totals to check."""
    from python_calamine import CalamineWorkbook

    try:
        uploaded.seek(0)
        workbook = CalamineWorkbook.from_filelike(uploaded)
        sheet = workbook.get_sheet_by_index(0).to_python()
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's error
        raise ValidationError({"table_file": "无法读取该 Excel 文件，请使用 .xlsx 格式"}) from exc
    header_index, columns = None, {}
    for index, row in enumerate(sheet[:10]):
        names = [str(c).strip() for c in row]
        if any("项目" in n for n in names) and any("收入" in n for n in names) and any("支出" in n for n in names):
            header_index = index
            for position, name in enumerate(names):
                for key, word in (("item", "项目"), ("income", "收入"), ("expenditure", "支出")):
                    if word in name and key not in columns:
                        columns[key] = position
            break
    if header_index is None:
        raise ValidationError({"table_file": "表头应包含“项目”“收入”“支出”三列"})
    rows, totals = [], None
    for row in sheet[header_index + 1 :]:
        def cell(key, row=row):
            position = columns[key]
            value = row[position] if position < len(row) else ""
            return "" if value is None else value

        item = str(cell("item")).strip()
        if item.replace(" ", "").startswith("合计"):
            totals = (cell("income"), cell("expenditure"))
            continue
        rows.append({"item": item, "income": cell("income"), "expenditure": cell("expenditure")})
    return rows, totals


# ---- attachments -----------------------------------------------------------------------------------------


def _check_attachments(attachments):
    """[(name, size, sha256, uploaded)] for good files, or ValidationError({"attachments": [...]})."""
    attachments = [a for a in attachments if a is not None]
    errors, checked = [], []
    if len(attachments) > rules.MAX_ATTACHMENTS:
        errors.append(f"附件不能超过 {rules.MAX_ATTACHMENTS} 个")
    for uploaded in attachments:
        name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
        size = getattr(uploaded, "size", None) or 0
        if size > rules.attachment_max_bytes():
            message, sha256 = rules.attachment_error(name, size, b""), ""
        else:
            head, sha256 = read_upload(uploaded, rules.ATTACHMENT_HEAD_BYTES)
            message = rules.attachment_error(name, size, head)
        if message:
            errors.append(message)
        else:
            checked.append((name, size, sha256, uploaded))
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _store_attachments(disclosure, checked, stored):
    for position, (name, size, sha256, uploaded) in enumerate(checked):
        attachment = Attachment(
            disclosure=disclosure, original_name=name, content_type=rules.attachment_content_type(name), size=size,
            sha256=sha256, position=position,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{rules.attachment_extension(name)}", uploaded, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        attachment.save()


# ---- the chain -----------------------------------------------------------------------------------------------


def _lock_head(org):
    """The org's chain head, locked until the transaction ends (created on the first publish)."""
    ChainHead.objects.get_or_create(org=org)
    return ChainHead.objects.select_for_update().get(org=org)


def _validate_fields(*, category, title, body, period_label, min_posting_days, source_label, source_url, deadline):
    errors = {}
    if category not in Category.values:
        errors["category"] = "请选择公开类别"
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = "请填写标题"
    elif len(title) > 200:
        errors["title"] = "标题不能超过 200 字"
    if not body:
        errors["body"] = "请填写公开内容"
    if min_posting_days is None or min_posting_days == "":
        min_posting_days = rules.min_posting_days()
    try:
        min_posting_days = int(min_posting_days)
    except (TypeError, ValueError):
        errors["min_posting_days"] = "请输入整数天数"
    else:
        if not 1 <= min_posting_days <= rules.MIN_POSTING_DAYS_MAX:
            errors["min_posting_days"] = f"公示天数应在 1 到 {rules.MIN_POSTING_DAYS_MAX} 天之间"
    source_url = (source_url or "").strip()
    if source_url and not (source_url.startswith("/") and not source_url.startswith("//")):
        errors["source_url"] = "来源链接须为本站路径"
    if len(period_label or "") > 50:
        errors["period_label"] = "所属期间不能超过 50 字"
    if errors:
        raise ValidationError(errors)
    return {
        "category": category, "title": title, "body": body, "period_label": (period_label or "").strip(),
        "min_posting_days": min_posting_days, "source_label": (source_label or "").strip()[:200], "source_url": source_url,
        "deadline": deadline,
    }


def publish_disclosure(actor, org, *, category, title, body, attachments=(), period_label="", min_posting_days=None,
                       source_label="", source_url="", deadline=None, period_key="", table=None):
    """Publish one item at once on `org`'s public page: appended to its hash chain, immutable from then on.

    `table` (finance): rows [{"item", "income", "expenditure"}] checked by clean_table. `period_key` ties a
    routine disclosure to a schedule period (rules.period_key). `deadline`: the date it was due; a later
    posting is flagged as late."""
    _require_manage(actor, org)
    fields = _validate_fields(
        category=category, title=title, body=body, period_label=period_label, min_posting_days=min_posting_days,
        source_label=source_label, source_url=source_url, deadline=deadline,
    )
    if table is not None:
        table = _as_table(table)
    checked = _check_attachments(attachments)
    fields |= {"period_key": (period_key or "")[:16], "table": table}
    return _publish(actor, org, fields, checked)


def _as_table(table):
    """A table given as {"rows": [...]} or as the list of rows, checked (clean_table)."""
    return clean_table(table["rows"] if isinstance(table, dict) else table)


def _publish(actor, org, fields, checked, *, supersedes=None):
    stored = []
    try:
        with transaction.atomic():
            org = Organization.objects.get(pk=org.pk)
            head = _lock_head(org)
            now = timezone.now()
            disclosure = Disclosure(
                org=org, org_path=org.path, published_at=now, posted_on=timezone.localdate(now), published_by=actor,
                publisher_name=_publisher_name(actor), seq=head.seq + 1, prev_hash=head.hash or hashchain.GENESIS,
                supersedes=supersedes, version=(supersedes.version + 1) if supersedes else 1, **fields,
            )
            # The hash covers the files' digests, known before anything is written.
            disclosure.hash = hashchain.link_hash(disclosure.chain_content(), [c[2] for c in checked], disclosure.prev_hash)
            disclosure.save()
            _store_attachments(disclosure, checked, stored)
            head.seq, head.hash = disclosure.seq, disclosure.hash
            head.save(update_fields=["seq", "hash", "updated_at"])
            if disclosure.is_late and supersedes is None:
                from . import reminders

                reminders.published_late(disclosure)
            action = audit.Action.CORRECT if supersedes else audit.Action.PUBLISH
            audit.record(
                action, disclosure, org_path=org.path, actor=actor,
                after={"category": disclosure.category, "title": disclosure.title, "seq": disclosure.seq, "hash": disclosure.hash,
                       "attachments": [c[2] for c in checked]},
                before={"supersedes": supersedes.pk, "hash": supersedes.hash} if supersedes else None,
                note=(f"更正公开《{supersedes.title}》：{disclosure.correction_reason}" if supersedes
                      else f"发布{disclosure.get_category_display()}《{disclosure.title}》"),
            )
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    return disclosure


def correct_disclosure(actor, disclosure, *, title, body, attachments=(), reason, table=None, min_posting_days=None):
    """Publish a corrected version of a published item: a new item in the chain that points to the one it
    replaces (both stay public). Only the current version can be corrected. Returns the new version."""
    old = Disclosure.objects.select_related("org").get(pk=disclosure.pk)
    _require_manage(actor, old.org)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写更正理由"
    elif len(reason) > 500:
        errors["reason"] = "更正理由不能超过 500 字"
    if not old.is_current:
        errors["__all__"] = "该内容已有更正版本，请更正最新版本"
    try:
        fields = _validate_fields(
            category=old.category, title=title, body=body, period_label=old.period_label,
            min_posting_days=old.min_posting_days if min_posting_days in (None, "") else min_posting_days,
            source_label=old.source_label, source_url=old.source_url, deadline=old.deadline,
        )
    except ValidationError as exc:
        errors = exc.message_dict | errors
    if table is not None:
        try:
            table = _as_table(table)
        except ValidationError as exc:
            errors |= exc.message_dict
    elif old.table is not None:
        table = old.table
    if errors:
        raise ValidationError(errors)
    checked = _check_attachments(attachments)
    fields |= {"period_key": old.period_key, "table": table, "correction_reason": reason}
    with transaction.atomic():
        # Two corrections of one version at once: the second finds it superseded (OneToOne is unique too).
        if Disclosure.objects.filter(supersedes=old).exists():
            raise ValidationError({"__all__": "该内容已有更正版本，请更正最新版本"})
        return _publish(actor, old.org, fields, checked, supersedes=old)


# ---- chain verification --------------------------------------------------------------------------------------


def chain_links(org, *, upto_seq=None, check_files=True):
    """The org's items as hashchain.Links, in seq order (2 queries), files rehashed from storage."""
    items = Disclosure.objects.filter(org=org).order_by("seq").prefetch_related("attachments")
    if upto_seq is not None:
        items = items.filter(seq__lte=upto_seq)
    for item in items:
        files = []
        attachments = list(item.attachments.all())
        if check_files:
            for a in attachments:
                try:
                    with a.file.open("rb") as fh:
                        actual = hashchain.file_sha256(fh)
                except (FileNotFoundError, OSError, ValueError):
                    actual = None
                files.append((a.original_name, a.sha256, actual))
        yield hashchain.Link(
            seq=item.seq, pk=item.pk, hash=item.hash, prev_hash=item.prev_hash, content=item.chain_content(),
            attachment_hashes=[a.sha256 for a in attachments], files=files,
        )


def verify_org_chain(org, *, upto_seq=None, check_files=True):
    """The first broken link of the org's chain (up to `upto_seq`), or None. Read-only: no audit row.
    `check_files=False` skips rehashing the stored files (the recorded digests are still covered)."""
    links = chain_links(org, upto_seq=upto_seq, check_files=check_files)
    if upto_seq is None:
        head = ChainHead.objects.filter(org=org).first()
        return hashchain.verify_chain(links, head_seq=head.seq if head else 0, head_hash=head.hash if head else None)
    return hashchain.verify_chain(links)


def verify_item(disclosure):
    """(ok, break) for one item: its own hash and link, and the chain from the start up to it."""
    broken = verify_org_chain(disclosure.org, upto_seq=disclosure.seq)
    if broken is None:
        exists = Disclosure.objects.filter(pk=disclosure.pk, seq=disclosure.seq, org_id=disclosure.org_id).exists()
        if not exists:
            return False, hashchain.Break(disclosure.seq, disclosure.pk, hashchain.Reason.MISSING)
    return broken is None, broken


# ---- schedules ---------------------------------------------------------------------------------------------------


def set_schedule(actor, org, *, category, frequency, due_days=None, starts_on=None, is_active=True):
    """Create or change a village's routine disclosure schedule of one category."""
    _require_manage(actor, org)
    errors = {}
    if category not in [c.value for c in ROUTINE_CATEGORIES]:
        errors["category"] = "例行公开只能是党务、村务、财务或居务公开"
    if frequency not in Frequency.values:
        errors["frequency"] = "请选择公开频次"
    if due_days in (None, ""):
        due_days = rules.due_days()
    try:
        due_days = int(due_days)
        if not 0 <= due_days <= rules.DUE_DAYS_MAX:
            errors["due_days"] = f"期满后公开天数应在 0 到 {rules.DUE_DAYS_MAX} 天之间"
    except (TypeError, ValueError):
        errors["due_days"] = "请输入整数天数"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        existing = Schedule.objects.select_for_update().filter(org=org, category=category).first()
        before = audit.snapshot(existing, ["frequency", "due_days", "is_active", "starts_on"]) if existing else None
        schedule = existing or Schedule(org=org, org_path=org.path, category=category, starts_on=starts_on or today)
        schedule.frequency, schedule.due_days, schedule.is_active = frequency, due_days, bool(is_active)
        if starts_on:
            schedule.starts_on = starts_on
        schedule.save()
        audit.record(
            audit.Action.UPDATE if existing else audit.Action.CREATE, schedule, before=before,
            after=audit.snapshot(schedule, ["frequency", "due_days", "is_active", "starts_on"]), org_path=org.path, actor=actor,
            note=f"设置{schedule.get_category_display()}计划：{schedule.get_frequency_display()}，期满后 {due_days} 日内公开",
        )
    return schedule


def ensure_default_schedules(actor, org, categories):
    """The national/local default schedule for each category the org has none of (rules.default_frequency)."""
    made = []
    for category in categories:
        if not Schedule.objects.filter(org=org, category=category).exists():
            made.append(set_schedule(actor, org, category=category, frequency=rules.default_frequency(category)))
    return made


# ---- questions from the public -----------------------------------------------------------------------------------


def client_hash(ip):
    """A salted hash of the asker's address: enough to rate-limit and spot abuse, not to identify anyone."""
    from django.conf import settings

    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip or ''}".encode()).hexdigest()


def ask_question(disclosure, *, name="", text, ip=""):
    """Anyone may ask on a published item (no login). Length limits and a rate limit per address (cache)."""
    from django.core.cache import cache

    errors = {}
    name = (name or "").strip()
    text = (text or "").strip()
    if len(name) > rules.QUESTION_NAME_MAX_CHARS:
        errors["name"] = f"称呼不能超过 {rules.QUESTION_NAME_MAX_CHARS} 字"
    if len(text) < rules.QUESTION_MIN_CHARS:
        errors["text"] = f"问题至少 {rules.QUESTION_MIN_CHARS} 个字"
    elif len(text) > rules.QUESTION_MAX_CHARS:
        errors["text"] = f"问题不能超过 {rules.QUESTION_MAX_CHARS} 字"
    if errors:
        raise ValidationError(errors)
    key = f"disclosure:ask:{client_hash(ip)}"
    count = cache.get(key, 0)
    if count >= rules.questions_per_hour():
        raise ValidationError({"text": "提问过于频繁，请一小时后再试"})
    with transaction.atomic():
        disclosure = Disclosure.objects.public().get(pk=disclosure.pk)
        question = Question.objects.create(
            disclosure=disclosure, org_path=disclosure.org_path, name=name, text=text, client_hash=client_hash(ip),
        )
        audit.record(audit.Action.CREATE, question, org_path=disclosure.org_path, actor=None,
                     note=f"群众对《{disclosure.title}》提问", object_repr=f"提问：{text[:40]}")
    cache.set(key, count + 1, 3600)
    return question


def _managed_question(actor, question):
    question = Question.objects.select_for_update(of=("self",)).select_related("disclosure__org").get(pk=question.pk)
    _require_manage(actor, question.disclosure.org)
    return question


@transaction.atomic
def answer_question(actor, question, *, answer):
    """The village answers in public (an answer may be revised; every version stays in the audit log)."""
    question = _managed_question(actor, question)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容"})
    if len(answer) > rules.ANSWER_MAX_CHARS:
        raise ValidationError({"answer": f"答复不能超过 {rules.ANSWER_MAX_CHARS} 字"})
    before = {"answer": question.answer} if question.answer else None
    question.answer, question.answered_by, question.answered_at = answer, actor, timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(audit.Action.ANSWER, question, before=before, after={"answer": answer}, org_path=question.org_path, actor=actor,
                 note=f"答复群众提问（{question.disclosure.title}）")
    return question


@transaction.atomic
def hide_question(actor, question, *, reason):
    """Hide an abusive question with a reason: it stays in the database, counted and listed for staff."""
    question = _managed_question(actor, question)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写屏蔽理由"})
    if question.state == QuestionState.HIDDEN:
        raise ValidationError({"reason": "该提问已屏蔽"})
    question.state, question.hidden_reason, question.hidden_by, question.hidden_at = QuestionState.HIDDEN, reason[:300], actor, timezone.now()
    question.save(update_fields=["state", "hidden_reason", "hidden_by", "hidden_at"])
    audit.record(audit.Action.HIDE, question, before={"state": "visible"}, after={"state": "hidden", "reason": reason},
                 org_path=question.org_path, actor=actor, note=f"屏蔽群众提问：{reason}")
    return question


@transaction.atomic
def unhide_question(actor, question):
    """Show a hidden question again (the hiding stays in the audit log)."""
    question = _managed_question(actor, question)
    if question.state != QuestionState.HIDDEN:
        raise ValidationError({"__all__": "该提问未被屏蔽"})
    before = {"state": "hidden", "reason": question.hidden_reason}
    question.state = QuestionState.VISIBLE
    question.save(update_fields=["state"])
    audit.record(audit.Action.UPDATE, question, before=before, after={"state": "visible"}, org_path=question.org_path, actor=actor,
                 note="恢复显示群众提问")
    return question
