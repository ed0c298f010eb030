"""The regulation's numbers for transfers of membership relations, floating and lost-contact members.

Sources: 中国共产党党员教育管理工作条例 (2019), 第五章 组织关系管理 and 第二十七—三十一条; 中共中央组织部
《关于加强和改进流动党员管理工作的意见》 (2024); the local practice on the letter's validity (settings below).
"""

import datetime

from django.conf import settings

from grassroots.members.rules import add_months

# 党员教育管理工作条例 art. 27: a transfer is required when the work unit or usual residence changes, or when
# the member is away 6 months or more at a fairly fixed place (外出 6 个月以上且地点相对固定).
AWAY_MONTHS_REQUIRING_TRANSFER = 6
# Letter of introduction (介绍信): the validity in days is written on it. Local practice: "typically about
# 10 days, at most 3 months" (RULES.md). Settings GRASSROOTS_TRANSFER_LETTER_VALID_DAYS (default) and
# GRASSROOTS_TRANSFER_LETTER_MAX_DAYS (maximum).
DEFAULT_LETTER_VALID_DAYS = 10
MAX_LETTER_VALID_DAYS = 90
# 条例 art. 28: the receipt (回执) is returned to the sending committee within 1 month of receiving the member.
RECEIPT_MONTHS = 1
# Local practice: how many days before expiry both sides are reminded (setting GRASSROOTS_TRANSFER_REMIND_DAYS).
DEFAULT_REMIND_DAYS = 3
# 条例 art. 31 (失联党员): lost contact 6 months or more and a failed search → membership may be suspended
# (停止党籍); unreachable 2 more years after the suspension → removed as 自行脱党.
LOST_SUSPEND_MONTHS = 6
SELF_LEFT_YEARS_AFTER_SUSPENSION = 2



def default_valid_days():
    return int(getattr(settings, "GRASSROOTS_TRANSFER_LETTER_VALID_DAYS", DEFAULT_LETTER_VALID_DAYS))


def max_valid_days():
    return int(getattr(settings, "GRASSROOTS_TRANSFER_LETTER_MAX_DAYS", MAX_LETTER_VALID_DAYS))


def remind_days():
    return int(getattr(settings, "GRASSROOTS_TRANSFER_REMIND_DAYS", DEFAULT_REMIND_DAYS))


def valid_days_error(days):
    """A Chinese message when a letter's validity is out of range, else None."""
    if days is None or days < 1:
        return "有效期至少 1 天"
    if days > max_valid_days():
        return f"有效期不能超过 {max_valid_days()} 天"
    return None


def valid_until(issued_on, days):
    """The last day the letter may be presented: the issue day counts as day 1."""
    return issued_on + datetime.timedelta(days=days - 1)


def is_expired(issued_on, days, today):
    return today > valid_until(issued_on, days)


def is_expiring(issued_on, days, today):
    """Within the reminder window before the last valid day (inclusive), not yet expired."""
    last = valid_until(issued_on, days)
    return last >= today and (last - today).days < remind_days()


def receipt_due(received_on):
    """The day by which the receipt must be back: 1 month after the member was received."""
    return add_months(received_on, RECEIPT_MONTHS)


def transfer_required(left_on, today):
    """A floating member away 6 months or more should have the relationship transferred."""
    return add_months(left_on, AWAY_MONTHS_REQUIRING_TRANSFER) <= today


def suspend_possible_on(last_contact_on):
    """The first day membership may be suspended: 6 months after the last contact."""
    return add_months(last_contact_on, LOST_SUSPEND_MONTHS)


def self_left_possible_on(suspended_on):
    """The first day a suspended, still unreachable member may be removed as 自行脱党."""
    return add_months(suspended_on, 12 * SELF_LEFT_YEARS_AFTER_SUSPENSION)


def letter_number(year, seq):
    return f"〔{year}〕第{seq}号"
