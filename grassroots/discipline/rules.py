"""Numbers of the discipline app: local practice, each a setting with a dated default."""

from django.conf import settings

# Reports a single address may send through the public form in an hour (local practice, the same default as the
# disclosure portal's questions, 2026-12-03).
REPORTS_PER_HOUR_DEFAULT = 3


def reports_per_hour():
    return int(getattr(settings, "GRASSROOTS_DISCIPLINE_REPORTS_PER_HOUR", REPORTS_PER_HOUR_DEFAULT))


DETAIL_MIN_CHARS = 10
DETAIL_MAX_CHARS = 5000
SUMMARY_MAX_CHARS = 200
PHOTOS_PER_BODY = 6
