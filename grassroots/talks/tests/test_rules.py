import datetime
from types import SimpleNamespace

import pytest

from grassroots.talks import rules

D = datetime.date
TODAY = D(2026, 11, 25)
MEMBER = SimpleNamespace(joined_on=D(2010, 7, 1))
GOOD = {"held_on": D(2026, 11, 20), "talker_name": "王书记", "topic": "思想动态", "summary": "谈了近况", "reasons": []}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({}, None, None),
    ({"held_on": TODAY}, None, None),  # today is allowed
    ({"held_on": TODAY + datetime.timedelta(days=1)}, "held_on", "不能晚于今天"),
    ({"held_on": D(2010, 7, 1)}, None, None),  # the joining day itself
    ({"held_on": D(2010, 6, 30)}, "held_on", "不能早于该党员的入党日期"),
    ({"held_on": None}, "held_on", "请填写谈话日期"),
    ({"topic": "  "}, "topic", "请填写谈话主题"),
    ({"summary": ""}, "summary", "请填写谈话内容摘要"),
    ({"talker_name": ""}, "talker_name", "请填写谈话人"),
    ({"reasons": ["no_orglife", "bogus"]}, "reasons", "bogus"),
    ({"follow_up_due": D(2026, 12, 1)}, "follow_up", "请填写后续措施"),
    ({"follow_up": "再谈一次", "follow_up_due": D(2026, 11, 20)}, None, None),  # due on the talk's day
    ({"follow_up": "再谈一次", "follow_up_due": D(2026, 11, 19)}, "follow_up_due", "不能早于谈话日期"),
])
def test_check_talk(change, field, message):
    errors = rules.check_talk({**GOOD, **change}, MEMBER, TODAY)
    if field is None:
        assert errors == {}
    else:
        assert message in "".join(errors[field])


@pytest.mark.parametrize(("talk", "done_on", "result", "field"), [
    ({"follow_up": "复谈", "follow_up_done_on": None}, D(2026, 11, 20), "已复谈", None),
    ({"follow_up": "复谈", "follow_up_done_on": None}, D(2026, 11, 19), "已复谈", "follow_up_done_on"),  # before the talk
    ({"follow_up": "复谈", "follow_up_done_on": None}, D(2026, 11, 26), "已复谈", "follow_up_done_on"),  # future
    ({"follow_up": "复谈", "follow_up_done_on": None}, D(2026, 11, 21), " ", "follow_up_result"),
    ({"follow_up": "", "follow_up_done_on": None}, D(2026, 11, 21), "已复谈", "follow_up"),
    ({"follow_up": "复谈", "follow_up_done_on": D(2026, 11, 21)}, D(2026, 11, 22), "已复谈", "follow_up_done_on"),  # already done
])
def test_check_follow_up_done(talk, done_on, result, field):
    errors = rules.check_follow_up_done(SimpleNamespace(held_on=D(2026, 11, 20), **talk), done_on, result, TODAY)
    assert (set(errors) == {field}) if field else errors == {}


@pytest.mark.parametrize(("talked", "total", "percent"), [(0, 0, None), (0, 5, 0), (1, 3, 33), (199, 200, 99), (5, 5, 100)])
def test_coverage_percent_rounds_down(talked, total, percent):
    assert rules.coverage_percent(talked, total) == percent
