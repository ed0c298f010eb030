"""Reading the unit's batch registration sheet (.xlsx): name, community code, basis, skills; header row first."""

from python_calamine import CalamineError, CalamineWorkbook

from grassroots.core.errors import ValidationError
from grassroots.core.uploads import read_upload

MAX_ROWS = 2000


def read_rows(uploaded):
    """[(line, name, community code, basis, skills)] from the first sheet; blank rows are skipped."""
    if uploaded is None:
        raise ValidationError({"file": "请选择 Excel 文件"})
    head, _digest = read_upload(uploaded)
    if not head.startswith(b"PK"):
        raise ValidationError({"file": "请上传 .xlsx 格式的 Excel 文件"})
    try:
        sheet = CalamineWorkbook.from_filelike(uploaded).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, IndexError):
        raise ValidationError({"file": "无法读取该 Excel 文件"}) from None
    rows = []
    for i, raw in enumerate(sheet[1:], start=2):
        cells = [str(c).strip() if c is not None else "" for c in list(raw) + ["", "", "", ""]]
        if not any(cells[:4]):
            continue
        rows.append((i, cells[0], cells[1], cells[2], cells[3][:200]))
    if not rows:
        raise ValidationError({"file": "表格中没有数据行"})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": f"一次最多导入 {MAX_ROWS} 行"})
    return rows
