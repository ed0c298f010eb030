"""Importing a member ledger (.xlsx, .xls): read with python-calamine, check every row, then apply all or none.

Real ledgers come in many shapes, so the reader finds the header row (the row with the most known
column names, below any title rows), takes the columns in any order under their usual names
(ledger.COLUMNS and their aliases), reads dates however they were typed, and reports the columns it
did not understand.

`run_import(job_id)` (the background task) makes two passes over the file in batches:

1. check: every row against the required fields, the coded values, the member rules
   (`rules.check_member`, the rules `services` apply), the organization (exists, in the importer's
   scope, in the chosen subtree, not dissolved) and duplicate ID numbers; every error is kept as
   {row: Excel line, column: Chinese header, reason}. Any error: nothing is applied.
2. apply, in one transaction: the same checks again (against the locked rows), then members matched
   on the ID number's keyed hash are updated and the others created, with bulk writes that give the
   same records, history events and audit rows as `services.create_member` / `services.update_member`
   (proved by tests/test_ledger.py::test_bulk_apply_matches_services), plus one audit row for the file.
"""

import dataclasses
import datetime
import math
import re

from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.tasks import task
from django.utils import timezone
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from grassroots.core import audit, context, crypto, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.models import AuditLog
from grassroots.core.pinyin import initials
from grassroots.orgs import summaries
from grassroots.orgs.models import Organization

from . import ledger, rules
from .choices import HAN, EventKind, ImportState, State
from .models import ImportJob, Member, MemberEvent
from .services import AUDITED_FIELDS, RECORD_FIELDS, _set_sensitive, change_events

BATCH_SIZE = 1000
HEADER_SCAN_ROWS = 30  # the header row is looked for among the first rows of each sheet
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Model defaults for a new member when the file has no such column.
NEW_MEMBER_DEFAULTS = {
    "ethnicity": HAN, "native_place": "", "education": "", "degree": "", "occupation": "", "work_unit": "", "residence": "",
    "in_service": True, "full_on": None, "state": State.NORMAL, "left_reason": "", "left_on": None, "left_document": "",
}
# A blank cell in a present column means: this value (not "keep what was there").
BLANK = {"in_service": True, "state": State.NORMAL}


class FileProblem(Exception):
    """The file as a whole cannot be imported (not Excel, empty, no header row ...)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def file_error(reason):
    return {"row": None, "column": "", "reason": reason}


# ---------------------------------------------------------------------------------------
# The upload
# ---------------------------------------------------------------------------------------


def check_upload(uploaded):
    """A Chinese reason why this uploaded file cannot be a member ledger, or None. Cheap: reads the
    first bytes and the workbook's index, not its sheets."""
    size = getattr(uploaded, "size", None)
    if not size:
        return "上传的文件是空的（0 字节），请重新选择文件"
    if size > MAX_UPLOAD_BYTES:
        return f"文件太大（超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB），请分成几个文件上传"
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if not (head.startswith(XLSX_MAGIC) or head.startswith(XLS_MAGIC)):
        return "文件不是 Excel 表格，请上传 .xlsx 或 .xls 文件（可用 Excel 或 WPS 另存为 .xlsx）"
    try:
        CalamineWorkbook.from_filelike(uploaded).close()
    except CalamineError as exc:
        if "password" in type(exc).__name__.lower() or "password" in str(exc).lower():
            return "文件设有密码，请取消密码后再上传"
        return "无法读取该文件：它不是有效的 Excel 表格，或文件已损坏"
    finally:
        uploaded.seek(0)
    return None


@task()
def import_members(job_id):
    """Check an uploaded member ledger in the worker and, if every row is good, apply it."""
    run_import(job_id)


def start_import(actor, org, uploaded):
    """Save the upload as an import job into `org`'s subtree and enqueue the task that checks and applies it."""
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织党员的权限")
    if not org.is_active:
        raise ValidationError({"org": "不能导入到已撤销的党组织"})
    reason = check_upload(uploaded)
    if reason:
        raise ValidationError({"file": reason})
    name = (getattr(uploaded, "name", "") or "党员信息.xlsx").rsplit("/", 1)[-1][:255]
    job = ImportJob(org=org, org_path=org.path, original_name=name, created_by=actor)
    job.file.save(name, uploaded, save=False)
    job.save()
    audit.record(audit.Action.CREATE, job, actor=actor, org_path=org.path,
                 after={"org": org.pk, "state": job.state}, note=f"上传党员信息文件《{name}》，导入到“{org.name}”")
    import_members.enqueue(job.pk)
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------------------
# Reading cells
# ---------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(?:(\d{1,2})\s*[日号]?)?)?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_HINT = "可写作 2001-07-01、2001.07.01、2001/7/1、2001年7月1日、20010701 或 2001-07"


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value):
    """A cell as text: 12.0 -> '12', dates as 2001-07-01, spaces (also the full-width ones) trimmed."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def _make_date(year, month, day, original):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期“{original}”不存在，请核对") from None


def parse_date(value):
    """A date from a cell, whatever way it was typed; raises ValueError with a Chinese message."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"无法识别的日期，{DATE_HINT}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"无法识别的日期，{DATE_HINT}")
        whole = int(value)
        if value != whole and 1900 <= whole <= 2100:  # 2001.07 typed into a number cell (2001.1 is October)
            month = round((value - whole) * 100)
            return _make_date(whole, month, 1, cell_text(value))
        if value == whole:
            if 1900 <= whole <= 2100:
                raise ValueError(f"日期“{whole}”只有年份，请至少写到月份，{DATE_HINT}")
            if 19000101 <= whole <= 21001231:  # 20010701
                return _make_date(whole // 10000, whole // 100 % 100, whole % 100, whole)
            if 190001 <= whole <= 210012:  # 200107
                return _make_date(whole // 100, whole % 100, 1, whole)
        if 1 <= value < 2958466:  # an Excel date serial number in a cell not formatted as a date
            return EXCEL_EPOCH + datetime.timedelta(days=whole)
        raise ValueError(f"无法识别的日期“{cell_text(value)}”，{DATE_HINT}")
    text = value.strip().replace("\u3000", " ")
    text = text.translate(str.maketrans("０１２３４５６７８９．／－", "0123456789./-"))
    match = _DATE_TEXT.match(text)
    if match:
        year, month, day = match.groups()
        return _make_date(int(year), int(month), int(day) if day else 1, text)
    match = _DATE_DIGITS.match(text)
    if match:
        year, month, day = match.groups()
        return _make_date(int(year), int(month), int(day) if day else 1, text)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text))
    raise ValueError(f"无法识别的日期“{text}”，{DATE_HINT}")


def clean_row(raw, present):
    """(values, errors) of one row: `raw` maps fields to cells of the columns present in the file.
    `values` holds model values (and id_number, phone, org_ref); `errors` is [(field, reason)]."""
    values, errors = {}, []
    for field in present:
        column = ledger.BY_FIELD[field]
        cell = raw.get(field)
        if column.kind == ledger.SEQ:
            continue
        if field == "id_number":
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                errors.append((field, "公民身份号码被 Excel 存成了数字，末几位可能已经丢失：请把该列设为“文本”后重新填写"))
                continue
            text = cell_text(cell).replace(" ", "").upper()
            if not text:
                errors.append((field, "请填写公民身份号码"))
            values[field] = text
            continue
        if field == "phone":
            text = cell_text(cell)
            digits = text.replace("-", "").replace(" ", "").lstrip("+")
            if text and (not digits.isdigit() or not 7 <= len(digits) <= 20):
                errors.append((field, f"“{text}”不是有效的电话号码"))
            values[field] = text
            continue
        if is_blank(cell):
            if column.kind in (ledger.ORG_CODE, ledger.ORG_NAME):
                values[field] = ""
            elif field in BLANK:
                values[field] = BLANK[field]
            elif column.required and field not in ("gender", "birth_date"):  # those two may come from the ID number
                errors.append((field, f"请填写{column.header}"))
            else:
                values[field] = None if column.kind == ledger.DATE else ""
            continue
        if column.kind == ledger.DATE:
            try:
                values[field] = parse_date(cell)
            except ValueError as exc:
                errors.append((field, str(exc)))
        elif column.kind in (ledger.CHOICE, ledger.BOOL):
            text = cell_text(cell)
            try:
                values[field] = ledger.coded_value(column, text)
            except KeyError:
                hint = "、".join(column.labels) if len(column.labels) <= 10 else "请按模板的下拉列表填写全称"
                errors.append((field, f"“{text}”不是有效的{column.header}，可填：{hint}"))
        elif column.kind == ledger.ORG_CODE:
            values[field] = cell_text(cell).split()[0]  # "C0401 新村第一党支部" from the template's list
        else:
            text = cell_text(cell)
            if column.max_length and len(text) > column.max_length:
                errors.append((field, f"{column.header}不能超过 {column.max_length} 个字"))
            values[field] = text
    return values, errors


# ---------------------------------------------------------------------------------------
# Reading the sheet
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Layout:
    sheet_name: str
    header_line: int  # 1-based Excel line of the header row
    columns: dict  # cell index -> ledger.Column
    unknown: list  # headers not understood
    data_lines: int  # lines below the header (blank ones included)

    @property
    def present(self):
        return [c.field for c in self.columns.values()]

    def missing(self):
        """Chinese names of the required columns the file lacks."""
        present = set(self.present)
        missing = [ledger.BY_FIELD[f].header for f in ledger.REQUIRED_COLUMNS if f not in present]
        if "org_code" not in present and "org_name" not in present:
            missing.append(f"{ledger.BY_FIELD['org_code'].header}（或{ledger.BY_FIELD['org_name'].header}）")
        return missing


def _header_layout(rows, sheet_name):
    """The best header row among the first rows: (score, Layout) or None."""
    best = None
    for index, row in enumerate(rows):
        if index >= HEADER_SCAN_ROWS:
            break
        found = {}
        for i, cell in enumerate(row):
            column = ledger.column_for(cell) if isinstance(cell, str) else None
            if column is not None and column.field not in found.values():
                found[i] = column.field
        if len(found) >= 2 and (best is None or len(found) > best[0]):
            best = (len(found), index, row)
    if best is None:
        return None
    _score, index, row = best
    columns, unknown = {}, []
    for i, cell in enumerate(row):
        text = cell_text(cell)
        if not text:
            continue
        column = ledger.column_for(text)
        if column is not None and column not in columns.values():
            columns[i] = column
        else:
            unknown.append(f"{text}（重复的列）" if column is not None else text)
    return best[0], Layout(sheet_name, index + 1, columns, unknown, 0)


class LedgerFile:
    """An open workbook and the layout of its member sheet."""

    def __init__(self, source):
        try:
            self.workbook = CalamineWorkbook.from_object(source)
        except CalamineError:
            raise FileProblem("无法读取该文件：它不是有效的 Excel 表格，或文件已损坏") from None
        best, any_content = None, False
        for meta in self.workbook.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = self.workbook.get_sheet_by_name(meta.name)
            except CalamineError:
                continue
            if sheet.end is None:
                continue
            any_content = True
            found = _header_layout(sheet.iter_rows(), meta.name)
            if found and (best is None or found[0] > best[0][0]):
                best = (found, sheet)
        if not any_content:
            raise FileProblem("文件是空的：没有任何内容")
        if best is None:
            raise FileProblem("没有找到表头：请确认表格中有“姓名”“公民身份号码”“党员类别”“入党日期”等列名（可下载导入模板对照）")
        (_score, self.layout), self.sheet = best
        # iter_rows() starts at the sheet's first line, so the index of a row + 1 is its Excel line number.
        self.layout.data_lines = max(self.sheet.end[0] + 1 - self.layout.header_line, 0)

    def rows(self):
        """(Excel line, {field: cell}) of every non-blank row below the header."""
        header_line = self.layout.header_line
        columns = [(i, c.field) for i, c in self.layout.columns.items() if c.kind != ledger.SEQ]
        for index, row in enumerate(self.sheet.iter_rows()):
            if index < header_line:
                continue
            raw = {field: row[i] for i, field in columns if i < len(row)}
            if all(is_blank(v) for v in raw.values()):
                continue
            yield index + 1, raw

    def close(self):
        self.workbook.close()


def open_file(job):
    try:
        return LedgerFile(job.file.path)
    except NotImplementedError:  # a storage without local paths
        with job.file.open("rb") as f:
            return LedgerFile(f)


# ---------------------------------------------------------------------------------------
# Checking and applying
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    line: int
    values: dict  # what the file says (present columns)
    data: dict = None  # the whole record after the import (for the rules)
    org: Organization = None
    existing: Member = None


class Importer:
    """Checks (and, with apply=True, writes) batches of rows for one job."""

    def __init__(self, job, layout):
        self.job = job
        self.actor = job.created_by
        self.subtree = job.org
        self.layout = layout
        self.present = [f for f in layout.present if f != "seq"]
        self.manage_paths = scoping.manage_paths(self.actor) if self.actor else []
        self.today = timezone.localdate()
        self.orgs_by_code = {}
        self.orgs_by_name = {}
        self.seen = {}  # id hash -> first line
        self.errors = []
        self.created = self.updated = self.unchanged = 0
        self.note = f"导入《{job.original_name}》"

    # -- errors --------------------------------------------------------------------------

    def error(self, line, field, reason):
        column = ledger.BY_FIELD.get(field)
        self.errors.append({"row": line, "column": column.header if column else "", "reason": reason})

    # -- organizations -------------------------------------------------------------------

    def _load_orgs(self, refs):
        codes = [r for r in refs if r not in self.orgs_by_code]
        if codes:
            for org in Organization.objects.filter(code__in=codes):
                self.orgs_by_code[org.code] = org
            for code in codes:
                self.orgs_by_code.setdefault(code, None)
        names = [r for r in refs if self.orgs_by_code.get(r) is None and r not in self.orgs_by_name]
        if names:
            found = {}
            inside = Organization.objects.within(self.subtree)
            for org in inside.filter(name__in=names) | inside.filter(short_name__in=names):
                for key in {org.name, org.short_name} & set(names):
                    found.setdefault(key, {})[org.pk] = org
            for name in names:
                self.orgs_by_name[name] = list(found.get(name, {}).values())

    def _org_ref(self, values):
        code = values.get("org_code") or ""
        return code or values.get("org_name") or ""

    def resolve_org(self, row):
        values = row.values
        ref = self._org_ref(values)
        field = "org_code" if values.get("org_code") else ("org_name" if "org_name" in values else "org_code")
        if not ref:
            self.error(row.line, field, "请填写所在党组织代码")
            return None
        org = self.orgs_by_code.get(ref)
        if org is None and field == "org_name":
            candidates = self.orgs_by_name.get(ref, [])
            if len(candidates) > 1:
                self.error(row.line, field, f"在导入范围内有 {len(candidates)} 个名为“{ref}”的党组织，请改填所在党组织代码")
                return None
            if not candidates:
                self.error(row.line, field, f"在导入范围“{self.subtree.name}”内找不到党组织“{ref}”")
                return None
            org = candidates[0]
        if org is None:
            self.error(row.line, field, f"找不到党组织代码“{ref}”")
        elif not scoping.covers(self.manage_paths, org.path):
            self.error(row.line, field, f"党组织“{ref}”不在您的管理范围内")
        elif not org.path.startswith(self.subtree.path):
            self.error(row.line, field, f"党组织“{org.name}”不在所选的导入范围“{self.subtree.name}”内")
        elif not org.is_active:
            self.error(row.line, field, f"党组织“{org.name}”已撤销，不能编入党员")
        else:
            return org
        return None

    # -- one batch -----------------------------------------------------------------------

    def check_batch(self, batch, *, lock=False):
        """Clean and check a batch of (line, raw) rows; returns the Rows without errors."""
        rows = []
        for line, raw in batch:
            values, problems = clean_row(raw, self.present)
            for field, reason in problems:
                self.error(line, field, reason)
            rows.append((Row(line, values), bool(problems)))
        self._load_orgs({self._org_ref(r.values) for r, _bad in rows} - {""})
        hashes = [crypto.lookup_hash(r.values["id_number"]) for r, _bad in rows if r.values.get("id_number")]
        existing = {}
        qs = Member.objects.filter(id_number_hash__in=hashes).select_related("org").order_by("pk")
        if lock:
            qs = qs.select_for_update(of=("self",)) if connection.features.has_select_for_update_of else qs.select_for_update()
        for member in qs:
            existing.setdefault(member.id_number_hash, []).append(member)
        good = []
        for row, bad in rows:
            errors_before = len(self.errors)
            row.org = self.resolve_org(row)
            id_number = row.values.get("id_number")
            if id_number:
                key = crypto.lookup_hash(id_number)
                if key in self.seen:
                    self.error(row.line, "id_number", f"与第 {self.seen[key]} 行的公民身份号码重复")
                else:
                    self.seen[key] = row.line
                matches = existing.get(key, [])
                if len(matches) > 1:
                    self.error(row.line, "id_number", "系统中已有多条该公民身份号码的记录，请先在数据质量检查中处理重复记录")
                elif matches:
                    row.existing = matches[0]
                    if not scoping.covers(self.manage_paths, row.existing.org_path):
                        self.error(row.line, "id_number",
                                   "该公民身份号码的党员已登记在您管理范围以外的党组织，不能通过导入修改；如需转入，请办理组织关系转接")
                        row.existing = None
            self._check_rules(row)
            if not bad and len(self.errors) == errors_before:
                good.append(row)
        return good

    def _check_rules(self, row):
        values = row.values
        base = {f: getattr(row.existing, f) for f in RECORD_FIELDS} if row.existing else dict(NEW_MEMBER_DEFAULTS)
        data = {**base, **{k: v for k, v in values.items() if k in RECORD_FIELDS}}
        id_number = values.get("id_number")
        if id_number:  # gender and birth date from the ID number where the file leaves them out
            try:
                id_birth, id_gender = rules.parse_id_number(id_number)
            except ValueError:
                id_birth = id_gender = None
            for field, derived in (("gender", id_gender), ("birth_date", id_birth)):
                if not data.get(field) and derived:
                    data[field] = values[field] = derived
        for field in ("gender", "birth_date"):
            if not data.get(field):
                self.error(row.line, field, f"请填写{ledger.BY_FIELD[field].header}")
        data["id_number"] = id_number
        for field, messages in rules.check_member(data, self.today).items():
            for message in messages:
                self.error(row.line, field, message)
        row.data = data

    # -- writing -------------------------------------------------------------------------

    def apply_batch(self, rows):
        """Create and update the members of a checked batch, with their events and audit rows."""
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        now, today = timezone.now(), self.today
        new_members, events, audits, changed, changed_fields = [], [], [], [], set()
        for row in rows:
            if row.existing is None:
                new_members.append(self._new_member(row))
            else:
                result = self._updated(row, actor, today, events, audits)
                if result is None:
                    self.unchanged += 1
                else:
                    changed.append(row.existing)
                    changed_fields |= result
        if new_members:
            Member.objects.bulk_create(new_members, batch_size=BATCH_SIZE)
            for member in new_members:
                events.append(MemberEvent(
                    member=member, kind=EventKind.CREATED, actor=actor, happened_on=today,
                    after=f"{member.get_status_display()}，{member.org.name}"[:200], note=self.note,
                ))
                audits.append(self._audit(audit.Action.CREATE, member, None, audit.snapshot(member, AUDITED_FIELDS), ""))
            self.created += len(new_members)
        if changed:
            for member in changed:
                member.updated_at = now
            Member.objects.bulk_update(changed, sorted(changed_fields | {"updated_at"}), batch_size=500)
            self.updated += len(changed)
        MemberEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        AuditLog.objects.bulk_create(audits, batch_size=BATCH_SIZE)
        # bulk writes send no signal: mark the kept figures of every organization written to (orgs/summaries.py)
        summaries.touch({m.org_path for m in new_members} | {p for m in changed for p in m.recount_paths()})

    def _new_member(self, row):
        """As services.create_member builds it."""
        member = Member(org=row.org, org_path=row.org.path)
        for field in RECORD_FIELDS:
            setattr(member, field, row.data[field])
        member.initials = initials(member.name)
        _set_sensitive(member, "id_number", row.values.get("id_number", ""))
        _set_sensitive(member, "phone", row.values.get("phone", ""))
        return member

    def _updated(self, row, actor, today, events, audits):
        """Change an existing member as services.update_member does; None when nothing changes, else the
        names of the fields to write. Adds the history events and the audit row."""
        member, values, org = row.existing, row.values, row.org
        before = audit.snapshot(member, AUDITED_FIELDS)
        old = {"status": member.get_status_display(), "state": member.get_state_display(), "org": member.org.name}
        fields = set()
        for field in RECORD_FIELDS:
            if field in values and getattr(member, field) != values[field]:
                setattr(member, field, values[field])
                fields.add(field)
        if "phone" in values and crypto.lookup_hash(values["phone"]) != member.phone_hash:
            _set_sensitive(member, "phone", values["phone"])
            fields |= {"phone_encrypted", "phone_hash", "phone_masked"}
        # The ID number is the match key: same keyed hash, same number, so it stays as it is.
        if org.pk != member.org_id:
            member.org, member.org_path = org, org.path
            fields |= {"org", "org_path"}
        name_initials = initials(member.name)
        if name_initials != member.initials:
            member.initials = name_initials
            fields.add("initials")
        after = audit.snapshot(member, AUDITED_FIELDS)
        if after == before:
            return None
        note = self.note

        def event(kind, **kw):
            events.append(MemberEvent(member=member, kind=kind, actor=actor, happened_on=kw.pop("happened_on", None) or today,
                                      note=note[:500], **{k: str(v)[:200] if k in ("before", "after") else v for k, v in kw.items()}))

        for kind, details in change_events(old, member, before, after):
            event(kind, **details)
        audits.append(self._audit(audit.Action.UPDATE, member, before, after, note))
        return fields

    def _audit(self, action, member, before, after, note):
        """An audit row as core.audit.record writes it."""
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        return AuditLog(
            actor=actor, actor_name=actor.get_username() if actor else "", action=action, org_path=member.org_path,
            request_id=context.current_request_id(), client_ip=context.current_client_ip(), before=before, after=after,
            note=note[:500], content_type=self.member_type, object_id=str(member.pk), object_repr=str(member)[:255],
        )

    @property
    def member_type(self):
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(Member)


def batches(rows, size=BATCH_SIZE):
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class ApplyConflict(Exception):
    """The records changed between the check and the apply: nothing was applied."""


class Progress:
    """processed_rows of the job, visible to the page that polls it while the apply transaction is open.

    PostgreSQL: written through a second connection of its own. SQLite has a single writer, so there
    the figure only moves outside the transaction (the check pass) and jumps at the end."""

    def __init__(self, job):
        self.job = job
        self.side = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            settings_dict = dict(connections[ImportJob.objects.db].settings_dict)
            self.side = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="import_progress")

    def set(self, processed):
        self.job.processed_rows = processed
        if self.side is not None:
            with self.side.cursor() as cursor:
                table = self.side.ops.quote_name(ImportJob._meta.db_table)
                cursor.execute(f"UPDATE {table} SET processed_rows = %s WHERE id = %s", [processed, self.job.pk])  # noqa: S608

    def close(self):
        if self.side is not None:
            self.side.close()


def _save(job, **fields):
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _fail(job, errors):
    _save(job, state=ImportState.FAILED, errors=errors, finished_at=timezone.now())
    audit.record(audit.Action.UPDATE, job, actor=job.created_by, org_path=job.org_path,
                 after={"state": ImportState.FAILED, "total_rows": job.total_rows},
                 note=f"《{job.original_name}》未导入：发现 {len(errors)} 处错误，未作任何修改")


def run_import(job_id):
    """Check the job's file, and if every row is good, apply it in one transaction. Idempotent: a job
    that has finished is left as it is."""
    job = ImportJob.objects.select_related("org", "created_by").filter(pk=job_id).first()
    if job is None or job.state in (ImportState.DONE, ImportState.FAILED):
        return
    # Every audit row of the import carries the request id import-<job id>: the audit log finds them all at once.
    with context.acting_as(job.created_by, request_id=f"import-{job.pk}"):
        _run(job)


def _run(job):
    try:
        _save(job, state=ImportState.CHECKING, processed_rows=0, errors=[], unknown_columns=[])
        if not (job.created_by and scoping.can_manage_org(job.created_by, job.org)):
            return _fail(job, [file_error(f"导入人已没有管理“{job.org.name}”党员的权限")])
        try:
            ledger_file = open_file(job)
        except FileProblem as exc:
            return _fail(job, [file_error(exc.reason)])
        except FileNotFoundError:
            return _fail(job, [file_error("找不到上传的文件，请重新上传")])
        try:
            layout = ledger_file.layout
            _save(job, unknown_columns=layout.unknown, total_rows=layout.data_lines)
            missing = layout.missing()
            if missing:
                return _fail(job, [file_error(f"缺少必需的列：{'、'.join(missing)}（在第 {layout.header_line} 行找到表头）")])
            importer = Importer(job, layout)
            count = 0
            for batch in batches(ledger_file.rows()):
                importer.check_batch(batch)
                count += len(batch)
                _save(job, processed_rows=min(batch[-1][0] - layout.header_line, job.total_rows))
            if count == 0:
                return _fail(job, [file_error(f"文件中没有党员数据：第 {layout.header_line} 行的表头下面是空的")])
            if importer.errors:
                _save(job, total_rows=count, processed_rows=count)
                return _fail(job, importer.errors)
            _save(job, state=ImportState.APPLYING, total_rows=count, processed_rows=0)
            progress = Progress(job)
            try:
                importer = _apply(job, layout, ledger_file, progress)
            except ApplyConflict as exc:
                return _fail(job, exc.args[0])
            finally:
                progress.close()
        finally:
            ledger_file.close()
        _save(job, state=ImportState.DONE, processed_rows=count, created_count=importer.created,
              updated_count=importer.updated, finished_at=timezone.now())
    except Exception:
        _save(job, state=ImportState.FAILED, finished_at=timezone.now(),
              errors=[file_error(f"导入时发生意外错误，未作任何修改。请把导入编号 {job.pk} 告诉系统管理员")])
        raise


def _apply(job, layout, ledger_file, progress):
    importer = Importer(job, layout)
    done = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one import applies at a time: ID numbers are matched across the city
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('grassroots.members.import'))")
        for batch in batches(ledger_file.rows()):
            good = importer.check_batch(batch, lock=True)
            if importer.errors:
                raise ApplyConflict(importer.errors)
            importer.apply_batch(good)
            done += len(batch)
            progress.set(done)
        audit.record(
            audit.Action.UPDATE, job, actor=job.created_by, org_path=job.org_path,
            before={"state": ImportState.APPLYING},
            after={"state": ImportState.DONE, "total_rows": done, "created_count": importer.created, "updated_count": importer.updated},
            note=f"导入党员信息《{job.original_name}》到“{job.org.name}”：新增 {importer.created} 人，"
                 f"更新 {importer.updated} 人，无变化 {importer.unchanged} 人",
        )
    return importer


def summary(job):
    """新增/更新/无变化 for the result page."""
    return {
        "created": job.created_count, "updated": job.updated_count,
        "unchanged": max(job.total_rows - job.created_count - job.updated_count, 0),
    }
