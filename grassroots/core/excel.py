"""Writing .xlsx ledgers with constant memory: openpyxl's write-only mode, then a streamed file response; reading an
uploaded .xlsx with python-calamine (the part apps' imports)."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from python_calamine import CalamineError, CalamineWorkbook

from .errors import ValidationError


def xlsx_response(filename, title, headers, rows):
    """Write `rows` (an iterable of lists) under a bold header row and return them as a download."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(row)
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(tmp)
    tmp.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(tmp, as_attachment=True, filename=f"{filename}-{stamp}.xlsx")


# ---- reading an uploaded .xlsx (python-calamine) ------------------------------------------------------------------

def read_first_sheet(uploaded, max_bytes=None):
    """The first sheet of an uploaded .xlsx as a list of rows (header included), or a ValidationError in Chinese
    that names what is wrong with the file."""
    if uploaded is None:
        raise ValidationError({"file": "请选择 Excel 文件"})
    size = getattr(uploaded, "size", 0) or 0
    if not size:
        raise ValidationError({"file": "上传的文件是空的，请重新选择文件"})
    if max_bytes and size > max_bytes:
        raise ValidationError({"file": f"文件太大（超过 {max_bytes // 1024 // 1024} MB）"})
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if not head.startswith(b"PK"):
        raise ValidationError({"file": "文件不是 .xlsx 格式的 Excel 表格，请先下载模板填写后上传"})
    try:
        return CalamineWorkbook.from_filelike(uploaded).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, IndexError):
        raise ValidationError({"file": "无法读取该文件：它不是有效的 Excel 表格，或文件已损坏"}) from None


def cell_text(value):
    """A cell as trimmed text: empty for nothing, 12 rather than 12.0 for a whole number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def data_rows(uploaded, width, max_rows):
    """[(line number, [`width` cells as text])] below the header row, blank rows skipped; refused when there are
    none or more than `max_rows`."""
    rows = []
    for line, raw in enumerate(read_first_sheet(uploaded)[1:], start=2):
        cells = [cell_text(c) for c in (list(raw) + [""] * width)[:width]]
        if any(cells):
            rows.append((line, cells))
    if not rows:
        raise ValidationError({"file": "表格中没有数据行"})
    if len(rows) > max_rows:
        raise ValidationError({"file": f"一次最多导入 {max_rows} 行"})
    return rows
