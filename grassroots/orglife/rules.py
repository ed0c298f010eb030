"""Rules of organizational life (中国共产党支部工作条例（试行）, 2018; Party Constitution, 2022).

The regulation's numbers and pure checks; no database access. Periods are calendar months,
quarters and years in Asia/Shanghai (settings.TIME_ZONE): a meeting at 2026-04-01 00:10 +08:00
belongs to April and Q2 although it is still 31 March in UTC.
"""

import calendar
import datetime

from django.conf import settings

from grassroots.orgs.choices import BRANCH_KINDS, Kind, PostTitle

from .choices import MeetingKind, Period

# 支部工作条例 (2018) art. 13: the branch general assembly meets normally once a quarter (一般每季度召开1次);
# the branch committee once a month (一般每月召开1次); the Party group once a month (一般每月召开1次).
# The Party lesson is "on schedule" (按期); once a quarter is the common norm -> a local setting, national default quarterly.
# 主题党日: one fixed day a month (中办《关于推进“两学一做”学习教育常态化制度化的意见》, 2017; 支部工作条例 art. 13).
# 组织生活会: normally once a year (支部工作条例 art. 14), usually in the fourth quarter.
# 民主评议党员: normally once a year (支部工作条例 art. 14; 《关于建立民主评议党员制度的意见》, 1988).
LECTURE_PERIOD_DEFAULT = Period.QUARTER


def lecture_period():
    """settings.ORGLIFE_LECTURE_PERIOD ("month" or "quarter") where local practice differs; quarterly by default."""
    return Period(getattr(settings, "ORGLIFE_LECTURE_PERIOD", LECTURE_PERIOD_DEFAULT))


def required_period(kind):
    return {
        MeetingKind.GENERAL_ASSEMBLY: Period.QUARTER,
        MeetingKind.COMMITTEE: Period.MONTH,
        MeetingKind.GROUP: Period.MONTH,
        MeetingKind.LECTURE: lecture_period(),
        MeetingKind.THEME_DAY: Period.MONTH,
        MeetingKind.LIFE_MEETING: Period.YEAR,
    }[MeetingKind(kind)]


APPRAISAL_PERIOD = Period.YEAR  # 民主评议党员 (not yet counted by the compliance engine: the appraisal model is pending)

# 支部工作条例 art. 8: a branch with 7 or more full members sets up a committee of 3 to 5 (at most 7) members.
# The platform says a branch "has a committee" in a month when at least COMMITTEE_MIN_POSTS committee posts
# (orgs.Post with a committee title) were held on the month's last day: the committee exists in the record.
# A branch with 7+ full members but no recorded committee is a tree problem, not a missed meeting.
COMMITTEE_FULL_MEMBERS = 7
COMMITTEE_MIN_POSTS = 3
COMMITTEE_TITLES = frozenset(
    {
        PostTitle.SECRETARY, PostTitle.DEPUTY_SECRETARY, PostTitle.ORGANIZATION, PostTitle.PROPAGANDA,
        PostTitle.DISCIPLINE, PostTitle.YOUTH, PostTitle.WOMEN, PostTitle.COMMITTEE_MEMBER,
    }
)

# Party Constitution (2022) art. 9: six consecutive months without organizational life -> regarded as 自行脱党.
SIX_MONTHS = 6


def has_committee(post_count):
    return post_count >= COMMITTEE_MIN_POSTS


# 支部工作条例 art. 8: "有正式党员7人以上的党支部，应当设立党支部委员会 … 正式党员不足7人的党支部，设1名书记，必要时
# 可以设1名副书记" (no committee). Only full members count; probationary members do not. The compliance engine owes
# committee meetings in a month when the branch has COMMITTEE_FULL_MEMBERS full members on that month's last day.
# A committee-only post (委员 titles below, not 书记/副书记) held in a branch with fewer full members is warned about.
COMMITTEE_ONLY_TITLES = COMMITTEE_TITLES - {PostTitle.SECRETARY, PostTitle.DEPUTY_SECRETARY}


def needs_committee(full_members):
    """Must a branch with this many full members have a branch committee (支部工作条例 art. 8)?"""
    return full_members >= COMMITTEE_FULL_MEMBERS


def committee_gap(full_members, committee_posts, committee_only_posts):
    """The structural problem of a branch's leadership, or None: "missing" when it needs a committee and the record
    holds none (fewer than COMMITTEE_MIN_POSTS committee posts), "not_needed" when it needs none and committee-only
    posts are set."""
    if needs_committee(full_members):
        return None if has_committee(committee_posts) else COMMITTEE_MISSING
    return COMMITTEE_NOT_NEEDED if committee_only_posts else None


COMMITTEE_MISSING, COMMITTEE_NOT_NEEDED = "missing", "not_needed"
COMMITTEE_GAP_LABELS = {
    COMMITTEE_MISSING: f"正式党员{COMMITTEE_FULL_MEMBERS}人以上，应设立支部委员会而未设（《支部工作条例》第八条）",
    COMMITTEE_NOT_NEEDED: f"正式党员不足{COMMITTEE_FULL_MEMBERS}人，不设支部委员会，却设有支委委员职务（《支部工作条例》第八条）",
}


# ---- the six-month rule, counted to the day --------------------------------------------------------------
#
# Party Constitution art. 9: "连续六个月不参加党的组织生活". The six months run from the member's last attendance (or
# from the day they joined the branch or came back) to the same day six months later. The Party texts give no way
# of counting, so the Civil Code's (民法典, 2020) applies: art. 201, the day the period starts from is not counted;
# art. 202, a period in months ends on the corresponding day of the last month, or on that month's last day when it
# has none. So a member last present on 15 December has been away six months at the end of 15 June and is listed
# from 16 June (not from 1 July, as with calendar months); one last present on 31 August is away six months at the
# end of 28 (in a leap year 29) February and is listed from 1 March. Art. 203 (a period ending on a holiday runs to
# the next working day) is for time limits to act within; six months of absence is a fact, so it does not apply.


def six_months_end(since):
    """The last day of the six months that start after `since` (the day of the last attendance, joining or return)."""
    from grassroots.members.rules import add_months

    return add_months(since, SIX_MONTHS)


def six_months_listed_from(since):
    """The first day a member whose count starts at `since` is listed: the day after the six months end."""
    return six_months_end(since) + datetime.timedelta(days=1)


def six_months_absent(since, as_of):
    """Has a member whose count starts at `since` (and who took part in nothing after it) been absent six months
    on `as_of`?"""
    return as_of > six_months_end(since)


def six_months_cutoff(as_of):
    """The latest start day whose six months are over on `as_of`: a member is listed on `as_of` exactly when the
    latest of their last attendance, joining and return is on or before this day. Month ends make the mapping not
    one-to-one (29, 30 and 31 August all end on 28 February), so it is found by stepping from the same day six months
    back rather than by subtracting months."""
    from grassroots.members.rules import add_months

    day = add_months(as_of, -SIX_MONTHS)
    while not six_months_absent(day, as_of):
        day -= datetime.timedelta(days=1)
    while six_months_absent(day + datetime.timedelta(days=1), as_of):
        day += datetime.timedelta(days=1)
    return day


# ---- periods -------------------------------------------------------------------------------------------


def period_index(period, month):
    """The number of the period (within its year) that a month 1..12 falls in: month 1..12, quarter 1..4, year 1."""
    if period == Period.MONTH:
        return month
    if period == Period.QUARTER:
        return (month - 1) // 3 + 1
    return 1


def period_count(period):
    return {Period.MONTH: 12, Period.QUARTER: 4, Period.YEAR: 1}[period]


def period_bounds(period, year, index):
    """(first day, last day) of a period."""
    if period == Period.MONTH:
        first_month, last_month = index, index
    elif period == Period.QUARTER:
        first_month, last_month = 3 * index - 2, 3 * index
    else:
        first_month, last_month = 1, 12
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def period_label(period, index):
    if period == Period.MONTH:
        return f"{index}月"
    if period == Period.QUARTER:
        return f"第{'一二三四'[index - 1]}季度"
    return "全年"


def owes_period(first, last, established_on, dissolved_on):
    """Does an organization owe a period [first, last]?

    Decision: it owes the period when it existed on at least half of the period's days (established_on
    and dissolved_on both count as days of existence). A branch set up on 15 February owes February
    (14 of 28 days) and the first quarter (45 of 90 days); one set up on 16 February owes neither.
    A dissolved branch owes nothing after its dissolution.
    """
    start = max(first, established_on) if established_on else first
    end = min(last, dissolved_on) if dissolved_on else last
    if end < start:
        return False
    existed = (end - start).days + 1
    total = (last - first).days + 1
    return existed * 2 >= total


# ---- checks used by the services -----------------------------------------------------------------------


def org_kind_error(meeting_kind, org_kind):
    """Party-group meetings are held by a group; every other kind by a branch."""
    if meeting_kind == MeetingKind.GROUP:
        if org_kind != Kind.GROUP:
            return "党小组会只能由党小组召开"
    elif org_kind not in BRANCH_KINDS:
        return "该类会议只能由党支部召开"
    return None


def lecturer_error(meeting_kind, lecturer):
    if meeting_kind == MeetingKind.LECTURE and not (lecturer or "").strip():
        return "党课须填写授课人"
    return None


def special_error(meeting_kind, is_special):
    if is_special and meeting_kind != MeetingKind.LIFE_MEETING:
        return "只有组织生活会可以标记为专题组织生活会"
    return None


# ---- democratic appraisal (民主评议党员; 《关于建立民主评议党员制度的意见》, 1988) ---------------------------------

# 优秀 is generally no more than one third of the members appraised.
EXCELLENT_MAX_SHARE = (1, 3)
# 限期改正: generally one year; three to six months in many places -> settings.ORGLIFE_CORRECTION_MONTHS.
CORRECTION_MONTHS_DEFAULT = 12


def correction_months():
    return int(getattr(settings, "ORGLIFE_CORRECTION_MONTHS", CORRECTION_MONTHS_DEFAULT))


def grade_probationary():
    """Probationary members take part but are not graded (local practice; settings.ORGLIFE_GRADE_PROBATIONARY)."""
    return bool(getattr(settings, "ORGLIFE_GRADE_PROBATIONARY", False))


def excellent_error(excellent, appraised):
    num, den = EXCELLENT_MAX_SHARE
    if excellent * den > appraised * num:
        return f"评为优秀的党员一般不超过参评党员的三分之一（参评 {appraised} 人，最多 {appraised * num // den} 人）"
    return None


# Reminders go to the secretary this many days before a period ends with a requirement still open
# (settings.ORGLIFE_REMINDER_DAYS, default 7).
REMINDER_DAYS_DEFAULT = 7


def reminder_days():
    return int(getattr(settings, "ORGLIFE_REMINDER_DAYS", REMINDER_DAYS_DEFAULT))


# ---- meeting attachments (photos, PDF, Word) -----------------------------------------------------------

# Each file at most 20 MB (settings.ORGLIFE_ATTACHMENT_MAX_BYTES); only these kinds
# (settings.ORGLIFE_ATTACHMENT_EXTENSIONS, a subset of ATTACHMENT_SIGNATURES). The extension AND the file's
# leading bytes must agree: a renamed file of another kind is refused.
ATTACHMENT_MAX_BYTES_DEFAULT = 20 * 1024 * 1024
# extension -> (content type served on download, leading bytes)
ATTACHMENT_SIGNATURES = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG"),
    "pdf": ("application/pdf", b"%PDF"),
    "doc": ("application/msword", b"\xd0\xcf\x11\xe0"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
}
ATTACHMENT_HEAD_BYTES = 8


def attachment_max_bytes():
    return int(getattr(settings, "ORGLIFE_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES_DEFAULT))


def attachment_extensions():
    allowed = getattr(settings, "ORGLIFE_ATTACHMENT_EXTENSIONS", tuple(ATTACHMENT_SIGNATURES))
    return tuple(e.lower().lstrip(".") for e in allowed if e.lower().lstrip(".") in ATTACHMENT_SIGNATURES)


def attachment_extension(name):
    """The lower-case extension of a file name, without the dot ("" when there is none)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _size_label(size):
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB" if size >= 1024 else f"{size} 字节"


def attachment_error(name, size, head):
    """Why an upload is refused (Chinese), or None. `head` is the file's first bytes."""
    allowed = attachment_extensions()
    extension = attachment_extension(name)
    if extension not in allowed:
        return f"不支持该文件类型，只能上传 {'、'.join(allowed)} 文件"
    if not size:
        return "文件是空的"
    limit = attachment_max_bytes()
    if size > limit:
        return f"文件过大（{_size_label(size)}），每个附件不能超过 {_size_label(limit)}"
    if not head.startswith(ATTACHMENT_SIGNATURES[extension][1]):
        return f"文件内容与扩展名 .{extension} 不符，可能是改了扩展名的其他文件"
    return None


def attachment_content_type(name):
    return ATTACHMENT_SIGNATURES.get(attachment_extension(name), ("application/octet-stream", b""))[0]
