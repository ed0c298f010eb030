"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("leaders.term_reminders", "两委换届提醒：任期届满前按设定天数提醒村（社区）和乡镇（街道）", cron="30 7 * * *", command="leaders_reminders")]
