"""This app's periodic jobs (grassroots/core/scheduling.py)."""

from grassroots.core.scheduling import Job

JOBS = [Job("points.recompute", "根据出席和党费记录重算党员自动积分", cron="0 3 * * *", command="recompute_points")]
