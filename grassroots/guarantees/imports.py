"""Excel in and out of a check campaign's yearly figures: a template with one row per village/community the user may
fill in (its current figures, drop-downs for 有/无), and the import of that sheet. Read with python-calamine like the
member ledger (grassroots/members/imports.py); every row is checked, each bad row is reported with its line number
and reason in Chinese, and either every row is saved or none (one transaction: a single bad row rolls back all)."""

import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError, field_errors
from grassroots.core.excel import cell_text, read_first_sheet

from . import rules, services
from .choices import CampaignState, ReportState
from .models import Report

CODE, NAME = "组织代码", "村（社区）"
YES = {"有", "是", "1", "true", "yes", "y", "√"}
NO = {"无", "否", "没有", "0", "false", "no", "n", "×"}
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


def header(item):
    label, unit = rules.ITEMS[item][0], rules.ITEMS[item][1]
    return f"{label}（{unit}）" if unit else f"{label}（有/无）"


HEADERS = {header(k): k for k in rules.ITEMS}


def fillable(user, campaign):
    """Reports of the campaign the user may still fill in: managed by the user, in draft or returned."""
    return (Report.objects.filter(campaign=campaign, state__in=[ReportState.DRAFT, ReportState.RETURNED])
            .filter(scoping.path_q("org_path", scoping.manage_paths(user))).select_related("org").prefetch_related("figures"))


def template(user, campaign):
    """The .xlsx template (bytes): a header row, then one row per report the user may fill, with its current values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "保障填报"
    items = list(rules.ITEMS)
    sheet.append([CODE, NAME, *[header(k) for k in items]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes_no = DataValidation(type="list", formula1='"有,无"', allow_blank=True, error="请选择“有”或“无”", showErrorMessage=True)
    sheet.add_data_validation(yes_no)
    rows = list(fillable(user, campaign))
    for report in rows:
        figures = {f.item: f for f in report.figures.all()}
        line = [report.org.code, report.org.name]
        for k in items:
            f = figures.get(k)
            if f is None:
                line.append("（不填）")
            elif rules.item_kind(k) == rules.KIND_YES:
                line.append("" if f.present is None else ("有" if f.present else "无"))
            else:
                line.append(float(f.value) if f.value is not None else None)
        sheet.append(line)
    last = max(len(rows) + 1, 200)
    for col, k in enumerate(items, start=3):
        if rules.item_kind(k) == rules.KIND_YES:
            letter = sheet.cell(row=1, column=col).column_letter
            yes_no.add(f"{letter}2:{letter}{last}")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 14, 28
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value):
    if isinstance(value, bool):
        return "有" if value else "无"
    return cell_text(value)


def read_sheet(uploaded):
    """The first sheet's rows, or a file-level ValidationError in Chinese."""
    rows = read_first_sheet(uploaded, max_bytes=MAX_BYTES)
    if not rows:
        raise ValidationError({"file": "表格是空的"})
    return rows


def _parse(item, raw):
    """(value, error) of one cell."""
    text = _text(raw)
    if rules.item_kind(item) == rules.KIND_YES:
        if text.lower() in YES:
            return True, None
        if text.lower() in NO:
            return False, None
        return None, f"{rules.item_label(item)}应填“有”或“无”，而不是“{text}”"
    try:
        number = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None, f"{rules.item_label(item)}须为数字，而不是“{text}”"
    if not number.is_finite() or number < 0:
        return None, f"{rules.item_label(item)}不能为负数"
    return str(number), None


@transaction.atomic
def import_figures(actor, campaign, uploaded):
    """Save the figures of every row of the uploaded sheet, or none: raises ValidationError({"file": [line errors]})
    when any row is bad. Returns the number of reports saved. Blank cells leave a figure as it was."""
    if campaign.state != CampaignState.OPEN:
        raise ValidationError({"file": "本次核查已结束，不能再填报"})
    rows = read_sheet(uploaded)
    titles = [_text(c) for c in rows[0]]
    if CODE not in titles:
        raise ValidationError({"file": f"第1行须为表头，并含“{CODE}”列（请使用下载的模板）"})
    code_col = titles.index(CODE)
    columns = {HEADERS[t]: i for i, t in enumerate(titles) if t in HEADERS}
    unknown = [t for t in titles if t and t not in HEADERS and t not in (CODE, NAME)]
    if unknown:
        raise ValidationError({"file": f"第1行有无法识别的列：{'、'.join(unknown)}（请使用下载的模板）"})
    if not columns:
        raise ValidationError({"file": "表头中没有任何保障项目列"})
    data = [(line, raw) for line, raw in enumerate(rows[1:], start=2) if any(_text(c) for c in raw)]
    if not data:
        raise ValidationError({"file": "表格中没有数据行"})
    if len(data) > MAX_ROWS:
        raise ValidationError({"file": f"一次最多导入 {MAX_ROWS} 行"})
    reports = {r.org.code: r for r in Report.objects.filter(campaign=campaign).select_related("org", "campaign")}
    errors, seen, saved = [], {}, 0
    for line, raw in data:
        cells = list(raw) + [None] * len(titles)
        code = _text(cells[code_col])
        report = reports.get(code)
        if not code:
            errors.append(f"第{line}行：未填写组织代码")
            continue
        if report is None:
            errors.append(f"第{line}行：组织代码“{code}”不在本次核查的填报单位中")
            continue
        if code in seen:
            errors.append(f"第{line}行：{report.org.name}与第{seen[code]}行重复")
            continue
        seen[code] = line
        applicable = set(rules.items_for(report.applies_to))
        values, bad = {}, []
        for item, col in columns.items():
            raw_value = cells[col]
            if _text(raw_value) in ("", "（不填）"):
                continue
            if item not in applicable:
                bad.append(f"{rules.item_label(item)}：{report.get_applies_to_display()}不填报该项目")
                continue
            value, error = _parse(item, raw_value)
            if error:
                bad.append(error)
            else:
                values[item] = value
        if bad:
            errors.append(f"第{line}行（{report.org.name}）：" + "；".join(bad))
            continue
        try:
            services.save_figures(actor, report, values)
        except (ValidationError, PermissionDenied) as exc:
            text = "；".join(m for ms in field_errors(exc).values() for m in ms) if isinstance(exc, ValidationError) else str(exc)
            errors.append(f"第{line}行（{report.org.name}）：{text}")
            continue
        saved += 1
    if errors:
        raise ValidationError({"file": errors})
    audit.record(audit.Action.UPDATE, campaign, after={"rows": saved},
                 org_path=campaign.org_path, note=f"Excel 导入保障填报 {saved} 个单位", actor=actor)
    return saved
