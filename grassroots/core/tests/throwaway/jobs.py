from grassroots.core.scheduling import Job

JOBS = [
    Job("throwaway.tick", "试验任务：打印一行", cron="*/5 * * * *", command="throwaway_tick"),
    Job("throwaway.broken", "试验任务：总是失败", cron="0 4 * * *", command="throwaway_tick", args=("--fail",)),
]
