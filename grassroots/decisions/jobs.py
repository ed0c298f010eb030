"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("decisions.reminders", "四议两公开提醒：决议、实施情况或结果逾期未公开", cron="20 7 * * *", command="decisions_reminders")]
