"""Account security numbers. Local practice, not Party regulation: settings with these defaults."""

from django.conf import settings


def max_login_failures():
    """Failed logins in a row before the account is locked (等保 2.0 practice: 5)."""
    return settings.LOGIN_MAX_FAILURES


def lock_minutes():
    """How long a locked account stays locked."""
    return settings.LOGIN_LOCK_MINUTES
