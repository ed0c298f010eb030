"""Reading the burden register (基层负担登记表) from .xlsx: the columns of `TEMPLATE_HEADERS`, header row first."""

from grassroots.core.excel import data_rows

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
    return data_rows(uploaded, 7, MAX_ROWS)
