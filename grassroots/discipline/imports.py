"""Reading the burden register (基层负担登记表) from .xlsx: the columns of `TEMPLATE_HEADERS`, header row first."""

from python_calamine import CalamineError, CalamineWorkbook

from grassroots.core.errors import ValidationError
from grassroots.core.uploads import read_upload

from .choices import BurdenKind

MAX_ROWS = 500
TEMPLATE_HEADERS = ["类别（会议/台账/报表/检查考核）", "名称", "下达部门", "每年次数", "每次耗时（小时）", "与之重复的事项（不重复不填）", "说明"]
TEMPLATE_EXAMPLE = ["报表", "党员基本情况统计表", "区某局", 4, 2, "党员统计表（平台自动生成）", "每季度填报"]


def kind_of(text):
    """The BurdenKind for a cell: its Chinese label or its code."""
    text = (text or "").strip()
    labels = {label: value for value, label in BurdenKind.choices}
    return labels.get(text, text)


def read_rows(uploaded):
    """[(line, cells)] from the first sheet, seven cells each as text; blank rows are skipped."""
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
    for line, raw in enumerate(sheet[1:], start=2):
        cells = []
        for c in list(raw)[:7] + [""] * 7:
            if isinstance(c, float) and c.is_integer():
                c = int(c)
            cells.append(str(c).strip() if c is not None else "")
        cells = cells[:7]
        if not any(cells):
            continue
        rows.append((line, cells))
    if not rows:
        raise ValidationError({"file": "表格中没有数据行"})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": f"一次最多导入 {MAX_ROWS} 行"})
    return rows
