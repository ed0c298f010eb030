"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("tracking.reminders", "任务提醒：即将到期和已逾期的任务（告知责任人和下达单位）", cron="40 7 * * *", command="tracking_reminders")]
