"""The numbers of public disclosure, each with its source; local practices are settings with the national default."""

import datetime

from django.conf import settings

from .choices import Category, Frequency

# ---- routine disclosure frequency ----------------------------------------------------------------------
# 村民委员会组织法 (村务公开): ordinary items are published at least once a quarter; where the collective's
# transactions are many, the finances are published every month; major matters at once (四议两公开 handles
# those: they are published when the matter's step is due, not on a schedule). 党务公开 (中国共产党党务公开
# 条例（试行）, 2017) and 居务公开 (城市居民委员会组织法) give no fixed interval: the quarterly norm is the common
# local practice, a setting. GRASSROOTS_DISCLOSURE_FREQUENCIES overrides any of these per category.
DEFAULT_FREQUENCIES = {
    Category.VILLAGE: Frequency.QUARTER,
    Category.FINANCE: Frequency.QUARTER,  # Frequency.MONTH where transactions are many (set per village)
    Category.PARTY: Frequency.QUARTER,  # local
    Category.RESIDENTS: Frequency.QUARTER,  # local
}
# Days after the end of a period by which its disclosure is due (local practice: "每季度首月10日前").
DUE_DAYS_DEFAULT = 10
DUE_DAYS_MAX = 60  # a schedule may allow at most this many days (a bound on input, not a rule)
# Days before the due date a reminder goes to the village secretary.
REMINDER_DAYS_DEFAULT = 5
# A notice stays posted at least this many days unless the publisher sets more (local practice; 四议两公开
# resolutions are commonly posted at least 7 days).
MIN_POSTING_DAYS_DEFAULT = 7
MIN_POSTING_DAYS_MAX = 366


def default_frequency(category):
    overrides = getattr(settings, "GRASSROOTS_DISCLOSURE_FREQUENCIES", {}) or {}
    return overrides.get(str(category), DEFAULT_FREQUENCIES.get(category, Frequency.QUARTER))


def due_days():
    return int(getattr(settings, "GRASSROOTS_DISCLOSURE_DUE_DAYS", DUE_DAYS_DEFAULT))


def reminder_days():
    return int(getattr(settings, "GRASSROOTS_DISCLOSURE_REMINDER_DAYS", REMINDER_DAYS_DEFAULT))


def min_posting_days():
    return int(getattr(settings, "GRASSROOTS_DISCLOSURE_MIN_POSTING_DAYS", MIN_POSTING_DAYS_DEFAULT))


# ---- periods ---------------------------------------------------------------------------------------------

MONTHS_PER = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.HALF_YEAR: 6, Frequency.YEAR: 12}
QUARTER_NAMES = "一二三四"


def period_of(frequency, day):
    """(start, end) of the period of `frequency` containing `day` (calendar months, quarters, halves, years)."""
    months = MONTHS_PER[Frequency(frequency)]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + months
    end = (datetime.date(day.year + 1, 1, 1) if end_month > 12 else datetime.date(day.year, end_month, 1)) - datetime.timedelta(days=1)
    return start, end


def period_key(frequency, start):
    """A short stable key of a period: 2026-03, 2026-Q1, 2026-H1, 2026."""
    frequency = Frequency(frequency)
    if frequency == Frequency.MONTH:
        return f"{start.year}-{start.month:02d}"
    if frequency == Frequency.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if frequency == Frequency.HALF_YEAR:
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year}"


def period_label(frequency, start):
    """The period in Chinese: 2026年3月, 2026年第一季度, 2026年上半年, 2026年度."""
    frequency = Frequency(frequency)
    if frequency == Frequency.MONTH:
        return f"{start.year}年{start.month}月"
    if frequency == Frequency.QUARTER:
        return f"{start.year}年第{QUARTER_NAMES[(start.month - 1) // 3]}季度"
    if frequency == Frequency.HALF_YEAR:
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    return f"{start.year}年度"


def previous_period(frequency, start):
    return period_of(frequency, start - datetime.timedelta(days=1))


def due_on(period_end, days=None):
    """A period's disclosure is due `days` after the period ends (the day itself still counts as on time)."""
    return period_end + datetime.timedelta(days=due_days() if days is None else days)


def is_overdue(due, today):
    return today > due


def is_late(posted_on, deadline):
    """A disclosure posted after its deadline was late (flagged on every page that shows it)."""
    return deadline is not None and posted_on is not None and posted_on > deadline


def posting_ends_on(posted_on, days):
    """The last day of the minimum posting period: posted on the 1st for 7 days → through the 7th."""
    return posted_on + datetime.timedelta(days=max(days, 1) - 1)


# ---- attachments and questions -----------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES_DEFAULT = 20 * 1024 * 1024
ATTACHMENT_SIGNATURES = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", b"%PDF"),
}
ATTACHMENT_HEAD_BYTES = 8
MAX_ATTACHMENTS = 20


def attachment_max_bytes():
    return int(getattr(settings, "GRASSROOTS_DISCLOSURE_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES_DEFAULT))


def attachment_extension(name):
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def attachment_error(name, size, head):
    """Why an upload is refused (Chinese), or None: jpg/png/pdf whose leading bytes agree with the extension."""
    extension = attachment_extension(name)
    if extension not in ATTACHMENT_SIGNATURES:
        return "只能上传 jpg、png 或 pdf 文件"
    if not size:
        return f"文件《{name}》是空的"
    if size > attachment_max_bytes():
        return f"文件《{name}》过大，每个附件不能超过 {attachment_max_bytes() // (1024 * 1024)} MB"
    if not head.startswith(ATTACHMENT_SIGNATURES[extension][1]):
        return f"文件《{name}》的内容与扩展名 .{extension} 不符"
    return None


def attachment_content_type(name):
    return ATTACHMENT_SIGNATURES.get(attachment_extension(name), ("application/octet-stream", b""))[0]


QUESTION_MIN_CHARS = 5
QUESTION_MAX_CHARS = 1000
QUESTION_NAME_MAX_CHARS = 30
ANSWER_MAX_CHARS = 2000
# Anti-abuse without a CAPTCHA service: at most this many questions per address per hour (a setting).
QUESTIONS_PER_HOUR_DEFAULT = 5


def questions_per_hour():
    return int(getattr(settings, "GRASSROOTS_DISCLOSURE_QUESTIONS_PER_HOUR", QUESTIONS_PER_HOUR_DEFAULT))
