"""The regulation's numbers for heart-to-heart talks (谈心谈话) and the worklist built on them."""

# 中国共产党支部工作条例（试行）(2018) art. 18: branch committee members talk with each other and with
# the members at least once a year each. The coverage page counts who has had a talk this year.
TALKS_PER_MEMBER_PER_YEAR = 1

# Party Constitution art. 9: six consecutive months without organizational life or without dues, without
# a proper reason, is the criterion for 自行脱党. The worklist flags members at that line so the branch
# talks with them before deciding anything: the same rules as orglife (six months counted to the day,
# orglife.compliance.six_month_absentees) and dues (six calendar months, dues.arrears.members_unpaid_for).
FLAG_MONTHS = 6

# A 不合格 grade of democratic appraisal stays on the worklist for a year after the appraisal concluded
# (民主评议党员: appraisal is yearly, the next one replaces it).
UNQUALIFIED_FLAG_DAYS = 366

# A follow-up measure is due by default this many days after the talk when the recorder sets none (local
# practice; national texts give no number).
DEFAULT_FOLLOW_UP_DAYS = 30


def coverage_percent(talked, total):
    """Whole percent of members talked with, rounded down so 99.6 % never shows as done."""
    return (100 * talked) // total if total else None


def check_talk(data, member, today):
    """Field errors ({field: [message]}) of a talk record; empty when consistent."""
    from .choices import Flag

    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    held_on = data.get("held_on")
    if not held_on:
        add("held_on", "请填写谈话日期")
    else:
        if held_on > today:
            add("held_on", "谈话日期不能晚于今天")
        if member.joined_on and held_on < member.joined_on:
            add("held_on", f"谈话日期不能早于该党员的入党日期（{member.joined_on:%Y-%m-%d}）")
    for field, label in (("talker_name", "谈话人"), ("topic", "谈话主题"), ("summary", "谈话内容摘要")):
        if not str(data.get(field) or "").strip():
            add(field, f"请填写{label}")
    unknown = [r for r in data.get("reasons") or [] if r not in Flag.values]
    if unknown:
        add("reasons", f"无法识别的谈话缘由：{'、'.join(map(str, unknown))}")
    due = data.get("follow_up_due")
    if due and not str(data.get("follow_up") or "").strip():
        add("follow_up", "设定了完成期限，请填写后续措施")
    if due and held_on and due < held_on:
        add("follow_up_due", "措施完成期限不能早于谈话日期")
    return errors


def check_follow_up_done(talk, done_on, result, today):
    errors = {}
    if not talk.follow_up:
        errors["follow_up"] = ["这次谈话没有需要落实的后续措施"]
    elif talk.follow_up_done_on:
        errors["follow_up_done_on"] = [f"后续措施已于 {talk.follow_up_done_on:%Y-%m-%d} 登记落实"]
    if not done_on:
        errors.setdefault("follow_up_done_on", []).append("请填写完成日期")
    elif done_on > today:
        errors.setdefault("follow_up_done_on", []).append("完成日期不能晚于今天")
    elif done_on < talk.held_on:
        errors.setdefault("follow_up_done_on", []).append("完成日期不能早于谈话日期")
    if not str(result or "").strip():
        errors["follow_up_result"] = ["请填写措施落实情况"]
    return errors
