"""The regulation's numbers for member records, and the checks built on them.

Each check returns {field: [Chinese message]}; an empty dict means the record is consistent.
"""

import calendar
import datetime

from .choices import LeftReason, State, Status

# 党内统计 groups members of 35 and under as young (青年党员); the tree shows "under 35" by that line.
YOUNG_MAX_AGE = 35

# Party Constitution art. 1: a citizen who has reached the age of eighteen may apply to join.
MIN_JOINING_AGE = 18

# Party Constitution art. 7; 发展党员工作细则 (2014) art. 28: probation is one year, counted from the
# branch general assembly's resolution; full membership comes no earlier than that.
PROBATION_YEARS = 1

# 发展党员工作细则 (2014) art. 30: probation may be extended once, by at most one year; so nobody should
# still be probationary two years after joining (the data-quality audit flags them).
PROBATION_EXTENSION_MAX_YEARS = 1
PROBATION_MAX_YEARS = PROBATION_YEARS + PROBATION_EXTENSION_MAX_YEARS

# GB 11643-1999 公民身份号码: 17 digits and a check character computed with these weights, mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# A member leaving the register by decision needs the decision's document number; a death does not.
LEFT_REASONS_NEEDING_DOCUMENT = frozenset({LeftReason.EXPELLED, LeftReason.REMOVED, LeftReason.WITHDREW, LeftReason.SELF_LEFT, LeftReason.DISQUALIFIED})


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    """The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def id_check_char(first17):
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def parse_id_number(value):
    """(birth_date, gender) of a valid 18-character number; raises ValueError with a Chinese message."""
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValueError("公民身份号码应为18位：前17位是数字，最后一位是数字或X")
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValueError("公民身份号码中的出生日期无效") from None
    if id_check_char(value[:17]) != value[17]:
        raise ValueError("公民身份号码校验位不正确，请核对")
    gender = "male" if int(value[16]) % 2 == 1 else "female"
    return birth, gender


def check_member(data, today):
    """All consistency rules of a member record. `data` holds cleaned values (dates as date objects)."""
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    birth, joined, full = data.get("birth_date"), data.get("joined_on"), data.get("full_on")
    for field, label in (("birth_date", "出生日期"), ("joined_on", "入党日期"), ("full_on", "转正日期"), ("left_on", "出党日期")):
        value = data.get(field)
        if value and value > today:
            add(field, f"{label}不能晚于今天")

    id_number = data.get("id_number")
    if id_number:
        try:
            id_birth, id_gender = parse_id_number(id_number)
        except ValueError as exc:
            add("id_number", str(exc))
        else:
            if birth and id_birth != birth:
                add("id_number", f"公民身份号码中的出生日期（{id_birth:%Y-%m-%d}）与填写的出生日期不一致")
            if data.get("gender") and id_gender != data["gender"]:
                add("id_number", "公民身份号码中的性别与填写的性别不一致")

    if birth and joined and age_on(birth, joined) < MIN_JOINING_AGE:
        add("joined_on", f"入党时应年满{MIN_JOINING_AGE}周岁")

    status = data.get("status")
    if status == Status.PROBATIONARY and full:
        add("full_on", "预备党员不应填写转正日期")
    if status == Status.FULL and not full:
        add("full_on", "正式党员请填写转正日期")
    if joined and full:
        if full < add_years(joined, PROBATION_YEARS):
            add("full_on", f"转正日期不能早于入党日期满{PROBATION_YEARS}年")

    if data.get("state") == State.LEFT:
        if not data.get("left_reason"):
            add("left_reason", "已出党的党员请选择出党方式")
        if not data.get("left_on"):
            add("left_on", "请填写出党日期")
        if data.get("left_reason") in LEFT_REASONS_NEEDING_DOCUMENT and not data.get("left_document"):
            add("left_document", "请填写处理决定的文号")
        if joined and data.get("left_on") and data["left_on"] < joined:
            add("left_on", "出党日期不能早于入党日期")
    return errors
