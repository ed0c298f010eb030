"""Table-driven tests of the member record's rules (GB 11643 ID numbers, ages, probation, dates)."""

import datetime

import pytest

from grassroots.members import rules

TODAY = datetime.date(2026, 11, 25)
D = datetime.date


@pytest.mark.parametrize(
    "number, birth, gender",
    [
        ("11010519491231002X", D(1949, 12, 31), "female"),
        ("440524188001010014", D(1880, 1, 1), "male"),
        ("11010119900307803X", D(1990, 3, 7), "male"),
        ("11010119900307803x", D(1990, 3, 7), "male"),  # a lower-case x is read as X
    ],
)
def test_valid_id_numbers(number, birth, gender):
    assert rules.parse_id_number(number) == (birth, gender)


@pytest.mark.parametrize(
    "number, message",
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "应为18位"),
        ("1101051949123100211", "应为18位"),
        ("11010519491231002A", "应为18位"),
        ("110105194913310025", "出生日期无效"),
        ("110105190002290020", "出生日期无效"),  # 1900 was not a leap year
        ("", "应为18位"),
    ],
)
def test_invalid_id_numbers(number, message):
    with pytest.raises(ValueError, match=message):
        rules.parse_id_number(number)


def test_check_char_algorithm():
    assert rules.id_check_char("11010519491231002") == "X"
    assert rules.id_check_char("44052418800101001") == "4"


def record(**changes):
    base = {
        "name": "张三", "gender": "male", "birth_date": D(1990, 3, 7), "id_number": "11010119900307803X",
        "status": "full", "joined_on": D(2010, 7, 1), "full_on": D(2011, 7, 1), "state": "normal",
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({}, None, None),
        ({"birth_date": D(1990, 3, 8)}, "id_number", "出生日期（1990-03-07）与填写的出生日期不一致"),
        ({"gender": "female"}, "id_number", "性别与填写的性别不一致"),
        ({"joined_on": D(2008, 3, 6), "full_on": D(2009, 3, 6)}, "joined_on", "年满18周岁"),
        ({"joined_on": D(2008, 3, 7), "full_on": D(2009, 3, 7)}, None, None),  # the 18th birthday itself
        ({"full_on": D(2011, 6, 30)}, "full_on", "满1年"),
        ({"status": "probationary", "full_on": D(2011, 7, 1)}, "full_on", "预备党员不应填写转正日期"),
        ({"status": "probationary", "full_on": None, "joined_on": D(2026, 1, 1)}, None, None),
        ({"full_on": None}, "full_on", "正式党员请填写转正日期"),
        ({"joined_on": D(2026, 11, 26), "full_on": None, "status": "probationary"}, "joined_on", "不能晚于今天"),
        ({"birth_date": D(2027, 1, 1), "id_number": ""}, "birth_date", "不能晚于今天"),
        ({"state": "left"}, "left_reason", "请选择出党方式"),
        ({"state": "left", "left_reason": "removed", "left_on": D(2020, 1, 1)}, "left_document", "文号"),
        ({"state": "left", "left_reason": "deceased", "left_on": D(2020, 1, 1)}, None, None),
        ({"state": "left", "left_reason": "deceased", "left_on": D(2000, 1, 1)}, "left_on", "不能早于入党日期"),
    ],
)
def test_member_rules(changes, field, message):
    errors = rules.check_member(record(**changes), TODAY)
    if field is None:
        assert errors == {}
    else:
        assert any(message in m for m in errors[field]), errors


def test_leap_day_probation():
    errors = rules.check_member(record(joined_on=D(2012, 2, 29), full_on=D(2013, 2, 28), birth_date=D(1990, 3, 7)), TODAY)
    assert errors == {}
