"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("development.reminders", "发展党员提醒：逾期和临期的环节", cron="10 7 * * *", command="development_reminders")]
