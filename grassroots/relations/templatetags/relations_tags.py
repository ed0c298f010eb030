from django import template
from django.utils.html import format_html_join

from ..choices import TransferState

register = template.Library()


@register.simple_tag
def transfer_badges(transfer, today):
    """The transfer's state as of today, with flags for letters about to expire and overdue receipts."""
    state = transfer.current_state(today)
    warn = state in (TransferState.ISSUED, TransferState.EXPIRED, TransferState.REJECTED)
    tags = [("tag warn" if warn else "tag", transfer.current_state_label(today))]
    if transfer.is_expiring(today):
        left = (transfer.valid_until - today).days
        tags.append(("tag flag", "今天到期" if left == 0 else f"{left} 天后到期"))
    if transfer.receipt_overdue(today):
        tags.append(("tag flag", "回执逾期"))
    elif transfer.receipt_late:
        tags.append(("tag flag", f"回执逾期{transfer.receipt_late_days}天"))
    return format_html_join(" ", '<span class="{}">{}</span>', tags)
