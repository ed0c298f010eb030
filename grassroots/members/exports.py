"""The member roster (党员花名册) of a filtered list as .xlsx, the import template, and an import's error list.

The roster is written with openpyxl's write-only mode from `queryset.iterator(chunk_size=2000)`: each
row goes to a temporary file as it is read (strings inline, no shared-string table), so memory stays
flat whatever the number of members (bench/bench_ledger.py measures it); the finished file is streamed
by a FileResponse. Personal data appear only in their masked form, and every export is written to the
audit trail with its filters.
"""

import tempfile

from django.conf import settings
from django.http import FileResponse
from django.tasks import task
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from grassroots.core import audit, crypto, scoping
from grassroots.core.errors import PermissionDenied
from grassroots.orgs.models import Organization

from . import ledger, search

ROSTER_TITLE = "党员花名册"
DATE_FORMAT = "yyyy-mm-dd"

# ---------------------------------------------------------------------------------------
# Which members: the member list's filter
# ---------------------------------------------------------------------------------------

# Labels of the list page's GET parameters, for the audit note (the list's form gives its own when it has one).
FILTER_LABELS = {
    "within": "范围", "q": "查找", "status": "党员类别", "state": "党籍状态", "gender": "性别", "ethnicity": "民族",
    "education": "学历", "degree": "学位", "occupation": "职业", "in_service": "在职情况", "age": "年龄段",
    "joined_from": "入党日期从", "joined_to": "入党日期至", "sort": "排序",
}


def filter_members(user, params):
    """(queryset, cleaned filters) of the member list page for these GET parameters: the roster exports
    exactly the list the user is looking at (search.filter_members: scope, `within`, search text, filters,
    sort; 404 for an organization outside the user's scope)."""
    return search.filter_members(user, params)


def _filter_org(cleaned):
    org = getattr(cleaned, "org", None) or cleaned.get("within")
    return org if isinstance(org, Organization) else None


def describe_filters(cleaned, *, search_text=True):
    """筛选条件 as a person reads them: '党组织范围：武进区委；党员类别：正式党员'. A full ID number or phone
    searched for appears masked; without `search_text` (the file's title line) the search words are left out."""
    form = getattr(cleaned, "form", None)
    parts = []
    for key, value in cleaned.items():
        if value in (None, "", [], ()):
            continue
        if key == "q":
            match = getattr(cleaned, "match", "")
            if match == "id_number":
                value = crypto.mask_id_number(str(value).replace(" ", "").upper())
            elif match == "phone":
                value = crypto.mask_phone(str(value).strip())
            if not search_text:
                parts.append("按查找条件筛选")
                continue
        field = form.fields.get(key) if form is not None else None
        label = str(field.label) if field is not None and field.label else FILTER_LABELS.get(key, key)
        if key == "within" and _filter_org(cleaned) is not None:
            org = _filter_org(cleaned)
            text = org.short_name or org.name
        elif field is not None and getattr(field, "choices", None):
            text = str(dict(field.choices).get(value, value))
        elif key in ledger.BY_FIELD and ledger.BY_FIELD[key].choices:
            text = str(ledger.BY_FIELD[key].label_of(value))
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:  # typed text, such as the search words: quoted as typed
            text = f"“{value}”"
        parts.append(f"{label}：{text}")
    return "；".join(parts) or "全部（本人可见范围）"


def _scope_path(user, cleaned):
    org = _filter_org(cleaned)
    if org is not None:
        return org.path
    paths = scoping.record_paths(user)
    return paths[0] if len(paths) == 1 else ""


# ---------------------------------------------------------------------------------------
# The roster
# ---------------------------------------------------------------------------------------

# What each roster column reads from the database (masked personal data only).
_SOURCE = {"id_number": "id_number_masked", "phone": "phone_masked", "org_name": "org__name", "org_code": "org__code"}
ROSTER_FIELDS = [_SOURCE.get(c.field, c.field) for c in ledger.EXPORT_COLUMNS if c.kind != ledger.SEQ]


def _labeller(column):
    if column.kind in (ledger.CHOICE, ledger.BOOL):
        labels = dict(column.choices)
        return lambda v: labels.get(v, v) if v not in ("", None) else None
    return lambda v: v if v not in ("", None) else None


def roster_rows(queryset):
    """Lists of cell values, one per member, in the roster's column order."""
    convert = [_labeller(c) for c in ledger.EXPORT_COLUMNS if c.kind != ledger.SEQ]
    for seq, values in enumerate(queryset.values_list(*ROSTER_FIELDS).iterator(chunk_size=2000), start=1):
        yield [seq, *(f(v) for f, v in zip(convert, values, strict=True))]


def write_sheet(sheet, columns, rows, *, title=None):
    """A write-only sheet: an optional title line, a bold header row with filters, frozen panes, then rows.
    Returns the number of rows written."""
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    header_line = 2 if title else 1
    sheet.freeze_panes = f"A{header_line + 1}"
    sheet.auto_filter.ref = f"A{header_line}:{get_column_letter(len(columns))}{header_line}"
    if title:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True, size=14)
        sheet.append([cell])
    bold = Font(bold=True)
    headers = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    # One styled cell per date column, refilled for every row: a write-only sheet serializes each row as it
    # is appended, so the cell can be reused (and the style is looked up once, not once per row).
    date_cells = {}
    for i, column in enumerate(columns):
        if column.kind == ledger.DATE:
            date_cells[i] = WriteOnlyCell(sheet)
            date_cells[i].number_format = DATE_FORMAT
    count = 0
    for row in rows:
        for i, cell in date_cells.items():
            if row[i] is not None:
                cell.value = row[i]
                row[i] = cell
        sheet.append(row)
        count += 1
    return count


def _file_response(workbook, filename):
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(tmp)
    tmp.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(tmp, as_attachment=True, filename=f"{filename}-{stamp}.xlsx")


def require_reader(user):
    if not scoping.record_paths(user):
        raise PermissionDenied("您没有导出党员名册的权限")


def roster_direct_rows():
    """Up to this many members the roster is written within the request; beyond it, by the worker (a
    city-wide roster takes longer than a web server's request timeout)."""
    return getattr(settings, "GRASSROOTS_ROSTER_DIRECT_ROWS", 20_000)


def _roster_workbook(user, cleaned, rows):
    """The roster workbook for `rows` (roster_rows of the filtered members); records the export, with its row count, in the audit log."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ROSTER_TITLE)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    title = f"{ROSTER_TITLE}（{describe_filters(cleaned, search_text=False)}；导出时间 {stamp}）"
    count = write_sheet(sheet, ledger.EXPORT_COLUMNS, rows, title=title)
    audit.record(
        audit.Action.EXPORT, actor=user, org_path=_scope_path(user, cleaned), object_repr=ROSTER_TITLE,
        note=f"导出党员花名册 {count} 人，筛选条件：{describe_filters(cleaned)}（个人信息已脱敏）",
    )
    return workbook


@task()
def export_roster(job_id):
    """Write a large roster export in the worker (manage.py db_worker)."""
    run_roster_export(job_id)


def roster_export(user, params):
    """The roster of the member list for these GET parameters: a download when it is small enough, otherwise
    an ExportJob the worker writes (the caller shows its progress)."""
    from .models import ExportJob

    require_reader(user)
    queryset, cleaned = filter_members(user, params)
    total = queryset.count()
    if total <= roster_direct_rows():
        return _file_response(_roster_workbook(user, cleaned, roster_rows(queryset)), ROSTER_TITLE)
    job = ExportJob.objects.create(
        params={k: params.getlist(k) if hasattr(params, "getlist") else params[k] for k in params},
        description=describe_filters(cleaned)[:500], org_path=_scope_path(user, cleaned), total_rows=total, created_by=user,
    )
    export_roster.enqueue(job.pk)
    job.refresh_from_db()
    return job


def export_file_response(job):
    """The finished file of a background roster export."""
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


PROGRESS_EVERY = 5000


def run_roster_export(job_id):
    """Write a queued roster export (run by the worker): the rows the asker's scope allows now, with progress."""
    from django.core.files import File
    from django.http import QueryDict

    from .models import ExportJob

    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.state != ExportJob.State.PENDING:
        return
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING)
    try:
        params = QueryDict(mutable=True)
        for key, values in job.params.items():
            params.setlist(key, values)
        queryset, cleaned = filter_members(job.created_by, params)

        def counted(rows):
            for n, row in enumerate(rows, start=1):
                if n % PROGRESS_EVERY == 0:
                    ExportJob.objects.filter(pk=job.pk).update(written_rows=n)
                yield row

        workbook = _roster_workbook(job.created_by, cleaned, counted(roster_rows(queryset)))
        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            workbook.save(tmp)
            tmp.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d")
            job.file.save(f"{ROSTER_TITLE}-{stamp}.xlsx", File(tmp), save=False)
        job.state, job.written_rows, job.finished_at = ExportJob.State.DONE, job.total_rows, timezone.now()
        job.save(update_fields=["file", "state", "written_rows", "finished_at"])
    except Exception as exc:  # the page must say it failed rather than spin forever
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=str(exc)[:500], finished_at=timezone.now())
        raise


# ---------------------------------------------------------------------------------------
# The import template
# ---------------------------------------------------------------------------------------

TEMPLATE_SHEET = "党员信息"
LISTS_SHEET = "代码表"
GUIDE_SHEET = "说明"
TEMPLATE_ROWS = 1048576  # data validations cover the whole column


def template_orgs(user, within=None):
    """Active organizations the user manages (optionally only one subtree), for the code drop-down."""
    qs = Organization.objects.manageable_by(user).filter(is_active=True)
    if within is not None:
        qs = qs.within(within)
    return qs.order_by("path").values_list("code", "name")


def template_workbook(user, within=None):
    """The import template: the roster's columns, drop-downs for coded fields and organization codes,
    identity and phone columns formatted as text, and a 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    guide = workbook.create_sheet(GUIDE_SHEET)
    columns = ledger.TEMPLATE_COLUMNS
    required_fill = PatternFill("solid", fgColor="FDECEC")
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font = Font(bold=True, color="9E1016" if column.required or column.field == "org_code" else "000000")
        cell.alignment = Alignment(horizontal="center")
        if column.required or column.field == "org_code":
            cell.fill = required_fill
        if column.note:
            cell.comment = Comment(column.note, "基层党建工作平台")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.field in ("id_number", "phone"):
            dimension.number_format = "@"  # text: Excel would turn an 18-digit number into 3.20402E+17
        elif column.kind == ledger.DATE:
            dimension.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"

    # Drop-down lists live on a hidden sheet: Excel limits a list typed into the rule to 255 characters.
    list_column = 0
    for i, column in enumerate(columns, start=1):
        if column.field in ledger.DROPDOWN_FIELDS:
            values = column.labels
        elif column.field == "org_code":
            values = [f"{code} {name}" for code, name in template_orgs(user, within)]
        else:
            continue
        list_column += 1
        lists.cell(row=1, column=list_column, value=column.header)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=list_column, value=value)
        letter = get_column_letter(list_column)
        last = max(len(values) + 1, 2)
        validation = DataValidation(
            type="list", formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}",
            allow_blank=True, showErrorMessage=column.field != "org_code",
            errorTitle="请从列表中选择", error=f"{column.header}请从下拉列表中选择",
            promptTitle=column.header, prompt=column.note[:255] if column.note else None, showInputMessage=bool(column.note),
        )
        target = get_column_letter(i)
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    guide.append(["党员信息导入模板说明"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in GUIDE_LINES:
        guide.append(["", line])
    guide.append([])
    guide.append(["列", "填写要求"])
    guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    guide.cell(row=guide.max_row, column=2).font = Font(bold=True)
    for column in columns:
        req = "必填" if column.required else ("必填（或填所在党支部）" if column.field == "org_code" else "选填")
        parts = [req]
        if column.aliases:
            parts.append("也可识别列名：" + "、".join(column.aliases))
        if column.kind == ledger.DATE:
            parts.append("日期可写作 2001-07-01、2001.07.01、2001/7/1、2001年7月1日、20010701，只到月份的（2001-07、2001.07）按当月1日")
        if column.note:
            parts.append(column.note)
        guide.append([column.header, "；".join(parts)])
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


GUIDE_LINES = [
    "1. 在“党员信息”表第2行起每行填写一名党员，不要改动第1行的列名；列的顺序可以调整，可以删去选填的列。",
    "2. 标红的列为必填；性别、出生日期为空时按公民身份号码填入。有下拉箭头的列请从列表中选择。",
    "3. 按公民身份号码识别同一党员：系统中已有的党员按表格内容更新（表格中有的列以表格为准，没有的列保持不变），没有的新增；重复导入同一文件不会产生重复记录。",
    "4. 所在党组织必须在您管理的范围内，并且在上传时选择的导入范围之内。",
    "5. 导入先检查全部行：只要有一行有错，就一行也不导入，并列出每个错误所在的行号、列和原因，改正后重新上传即可。",
    "6. 表格上方可以有标题行；系统按列名找到表头所在的行。不认识的列会在结果中列出，不会导入。",
]


def template_response(user, within=None):
    if not scoping.manage_paths(user):
        raise PermissionDenied("您没有导入党员信息的权限")
    name = "党员信息导入模板"
    if within is not None:
        name += f"-{within.short_name or within.name}"
    return _file_response(template_workbook(user, within), name)


# ---------------------------------------------------------------------------------------
# An import's errors
# ---------------------------------------------------------------------------------------

ERROR_COLUMNS = [ledger.Column("行号", "row", width=8), ledger.Column("列", "column", width=16), ledger.Column("错误原因", "reason", width=80)]


def errors_response(job):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误清单")
    rows = ([e.get("row") or None, e.get("column") or None, e.get("reason")] for e in job.errors)
    write_sheet(sheet, ERROR_COLUMNS, rows, title=f"《{job.original_name}》导入错误清单（共 {len(job.errors)} 处）")
    return _file_response(workbook, f"导入错误清单-{job.pk}")

