"""The member roster (党员花名册) as a list of columns: one definition read by the export, the import
template and the import.

A column has the Chinese header an organization department uses, the member field it holds, the
other names real ledgers give it (aliases, matched after normalizing spaces, marks and notes in
brackets), and for coded fields the Chinese labels of the values (plus the usual short forms).
"""

import dataclasses
import functools
import re

from .choices import ETHNICITIES, Degree, Education, Gender, LeftReason, Occupation, State, Status
from .models import Member

# Kinds of cell
TEXT, DATE, CHOICE, BOOL, SEQ, ORG_NAME, ORG_CODE = "text", "date", "choice", "bool", "seq", "org_name", "org_code"


@dataclasses.dataclass(frozen=True)
class Column:
    header: str
    field: str  # a Member field, "id_number"/"phone" (stored encrypted), "seq", "org_name" or "org_code"
    kind: str = TEXT
    aliases: tuple = ()
    choices: tuple = ()  # ((value, label), ...) for CHOICE and BOOL
    value_aliases: dict = dataclasses.field(default_factory=dict)  # other spellings of a label -> value
    required: bool = False  # a new member needs a value (some are derived from the ID number, see imports.py)
    max_length: int | None = None
    width: int = 12  # Excel column width
    in_template: bool = True
    note: str = ""  # for the 说明 sheet of the template

    @property
    def labels(self):
        return [label for _value, label in self.choices]

    def label_of(self, value):
        return dict(self.choices).get(value, "" if value is None else value)


def _choices(text_choices):
    return tuple((c.value, str(c.label)) for c in text_choices)


def _max(field):
    return Member._meta.get_field(field).max_length


IN_SERVICE_CHOICES = ((True, "在职"), (False, "离退休"))

COLUMNS = [
    Column("序号", "seq", SEQ, aliases=("编号", "顺序号"), width=6, note="只为阅读方便，导入时不读取"),
    Column("姓名", "name", aliases=("党员姓名",), required=True, max_length=_max("name"), width=10),
    Column("性别", "gender", CHOICE, choices=_choices(Gender), value_aliases={"男性": "male", "女性": "female"}, required=True,
           width=6, note="为空时按公民身份号码填入"),
    Column("民族", "ethnicity", CHOICE, choices=tuple(ETHNICITIES), required=True, width=10,
           note="填写全称，如“汉族”“回族”；“汉”“回”等简称也可识别"),
    Column("出生日期", "birth_date", DATE, aliases=("出生年月", "出生时间"), required=True, width=12, note="为空时按公民身份号码填入"),
    Column("公民身份号码", "id_number", aliases=("身份证号", "身份证号码", "身份证", "居民身份证号码", "身份证件号码"), required=True,
           width=21, note="18位，最后一位可以是X；请把该列设为文本，否则 Excel 会丢掉末几位。按此号码识别同一党员：已登记的更新，未登记的新增"),
    Column("籍贯", "native_place", max_length=_max("native_place"), width=12),
    Column("学历", "education", CHOICE, aliases=("文化程度", "最高学历", "全日制学历"), choices=_choices(Education),
           value_aliases={"本科": "bachelor", "大学": "bachelor", "大专": "college", "专科": "college", "中专": "secondary_vocational",
                          "中技": "secondary_vocational", "技校": "secondary_vocational", "职高": "secondary_vocational",
                          "硕士研究生": "postgraduate", "博士研究生": "postgraduate", "研究生及以上": "postgraduate",
                          "小学": "primary", "文盲": "primary"}, width=10),
    Column("学位", "degree", CHOICE, aliases=("最高学位",), choices=_choices(Degree),
           value_aliases={"博士学位": "doctor", "硕士学位": "master", "学士学位": "bachelor", "无学位": "none"}, width=8),
    Column("职业", "occupation", CHOICE, aliases=("工作岗位", "职业类别", "党员职业"), choices=_choices(Occupation),
           value_aliases={"农民": "farmer", "牧民": "farmer", "渔民": "farmer", "军人": "military", "武警": "military",
                          "离退休": "retired", "退休": "retired", "其他": "other"}, width=14),
    Column("工作单位", "work_unit", aliases=("工作单位及职务", "单位"), max_length=_max("work_unit"), width=24),
    Column("居住社区", "residence", aliases=("现居住地", "家庭住址", "居住地", "现住址"), max_length=_max("residence"), width=20),
    Column("在职情况", "in_service", BOOL, aliases=("是否在职", "在职/离退休"), choices=IN_SERVICE_CHOICES,
           value_aliases={"是": True, "否": False, "退休": False, "离休": False, "离职": False}, width=8, note="在职 或 离退休；为空按在职"),
    Column("联系电话", "phone", aliases=("手机号码", "手机号", "手机", "电话", "联系方式"), max_length=20, width=14),
    Column("入党日期", "joined_on", DATE, aliases=("入党时间", "入党年月"), required=True, width=12),
    Column("转正日期", "full_on", DATE, aliases=("转正时间", "转正年月"), width=12, note="正式党员必填，预备党员不填"),
    Column("党员类别", "status", CHOICE, aliases=("人员类别", "党员类型", "党员身份"), choices=_choices(Status),
           value_aliases={"预备": "probationary", "正式": "full"}, required=True, width=10),
    Column("所在党支部", "org_name", ORG_NAME, aliases=("所在支部", "所在党组织", "党组织名称", "所在党组织名称", "党支部", "支部"),
           width=28, in_template=False, note="可代替“所在党组织代码”：填党组织全称或简称，须在所选导入范围内唯一"),
    Column("党籍状态", "state", CHOICE, aliases=("党籍", "党员状态"), choices=_choices(State),
           value_aliases={"流动党员": "floating", "失联党员": "lost_contact", "出党": "left"}, width=8, note="为空按正常"),
    Column("出党方式", "left_reason", CHOICE, choices=_choices(LeftReason), value_aliases={"死亡": "deceased", "病故": "deceased"},
           width=10, note="党籍状态为已出党时必填"),
    Column("出党日期", "left_on", DATE, aliases=("出党时间",), width=12, note="党籍状态为已出党时必填"),
    Column("处理决定文号", "left_document", aliases=("文号", "决定文号"), max_length=_max("left_document"), width=16,
           note="开除党籍、除名、退党、自行脱党时必填"),
    Column("所在党组织代码", "org_code", ORG_CODE, aliases=("党组织代码", "组织代码", "支部代码", "所在党支部代码", "所在组织代码"), width=30,
           note="从下拉列表选择（“代码 名称”，只读取代码），或只填代码"),
]

BY_FIELD = {c.field: c for c in COLUMNS}
EXPORT_COLUMNS = COLUMNS
TEMPLATE_COLUMNS = [c for c in COLUMNS if c.in_template]
# Coded fields that get a drop-down list in the template.
DROPDOWN_FIELDS = ("gender", "ethnicity", "education", "degree", "occupation", "in_service", "status", "state", "left_reason")
# The columns a file must have to be imported at all (the organization: by code or by name).
REQUIRED_COLUMNS = ("name", "id_number", "status", "joined_on")

_NOISE = re.compile(r"[\s\u3000*＊:：]|[（(【\[][^）)】\]]*[）)】\]]")


def normalize_header(text):
    """'  公民身份号码（18位）*' -> '公民身份号码': no spaces, marks or notes in brackets."""
    if text is None:
        return ""
    return _NOISE.sub("", str(text)).lower()


HEADER_INDEX = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_INDEX[normalize_header(_name)] = _column


def column_for(header):
    return HEADER_INDEX.get(normalize_header(header))


def _value_index(column):
    index = {}
    for value, label in column.choices:
        index[str(label)] = value
        if isinstance(value, str):
            index[value] = value
    if column.field == "ethnicity":  # 汉 -> 汉族, 维吾尔 -> 维吾尔族
        for value, label in column.choices:
            if label.endswith("族"):
                index[label[:-1]] = value
    index.update(column.value_aliases)
    return {normalize_header(k): v for k, v in index.items()}


VALUE_INDEX = {c.field: _value_index(c) for c in COLUMNS if c.kind in (CHOICE, BOOL)}


@functools.lru_cache(maxsize=4096)
def _coded(field, text):
    return VALUE_INDEX[field][normalize_header(text)]


def coded_value(column, text):
    """The stored value for a label (or code) typed in a cell; raises KeyError if there is none."""
    return _coded(column.field, text)
