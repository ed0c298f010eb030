"""This app's periodic jobs (grassroots/core/scheduling.py): keeping the summary figures (grassroots/orgs/summaries.py)."""

from grassroots.core.scheduling import Job

JOBS = [
    Job("orgs.refresh_rollups", "更新汇总数据（有变动的）", cron="* * * * *", command="refresh_rollups"),
    Job("orgs.rebuild_rollups", "重算全部汇总数据", cron="30 3 * * *", command="refresh_rollups", args=("--all",)),
]
