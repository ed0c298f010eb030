"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("dues.open_month", "建立当月党费收缴记录", cron="0 6 1 * *", command="dues_open_month")]
