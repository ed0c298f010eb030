"""Writing .xlsx ledgers with constant memory: openpyxl's write-only mode, then a streamed file response."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


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
