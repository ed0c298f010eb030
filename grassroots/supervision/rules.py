"""Numbers of notices and supervision. None comes from a national regulation: they are local practice, so each is
a setting with a dated default."""

from django.conf import settings

# Overdue receipts are reminded at most three times (第一次、第二次、第三次催办); after the third the issuer follows up
# by phone or in person. Local practice in Jiangsu townships' 督查督办 rules (checked 2026-12-03).
MAX_REMINDERS = 3

# Days after the receipt deadline on which the 1st, 2nd and 3rd reminders go out (local practice, default
# 2026-12-03: the day after, three days after, a week after).
REMINDER_DAYS_DEFAULT = (1, 3, 7)


def reminder_days():
    return tuple(getattr(settings, "GRASSROOTS_SUPERVISION_REMINDER_DAYS", REMINDER_DAYS_DEFAULT))[:MAX_REMINDERS]


def reminder_due(receipt_due, reminders_sent, today):
    """Is the next reminder (number reminders_sent + 1) due today for a receipt still unsigned?"""
    days = reminder_days()
    if reminders_sent >= len(days):
        return False
    return (today - receipt_due).days >= days[reminders_sent]


# A notice gives the receiving organizations at least this many days to sign (local practice, default 2026-12-03).
MIN_RECEIPT_DAYS_DEFAULT = 0


def min_receipt_days():
    return int(getattr(settings, "GRASSROOTS_SUPERVISION_MIN_RECEIPT_DAYS", MIN_RECEIPT_DAYS_DEFAULT))


MAX_MEASURES = 20
FILES_PER_NOTICE = 10
