"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [
    Job("rectification.daily", "整顿软弱涣散：规定整改事项到期提醒，巩固期回潮自动重新整顿", cron="40 6 * * *", command="rectification_daily"),
]
