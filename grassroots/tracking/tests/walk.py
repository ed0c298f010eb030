"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "tracking:list": "tracking_list", "tracking:list_export": "tracking_list", "tracking:task_add": "tracking_list",
    "tracking:task": "tracking_task", "tracking:task_report": "tracking_task", "tracking:task_act": "tracking_task",
    "tracking:file": "tracking_file",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"tracking:mine", "tracking:overdue"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"task_list_id": "tracking_list", "tracked_task_id": "tracking_task"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/tracking/lists/{task_list_id}/tasks"): lambda o: {"title": "越权任务", "due_on": "2027-01-31"},
    ("post", "/api/v1/tracking/tasks/{tracked_task_id}/reports"): lambda o: {"percent": 50, "text": "越权报送"},
    ("post", "/api/v1/tracking/tasks/{tracked_task_id}/submit"): lambda o: {},
    ("post", "/api/v1/tracking/tasks/{tracked_task_id}/return"): lambda o: {"reason": "越权退回"},
    ("post", "/api/v1/tracking/tasks/{tracked_task_id}/sign-off"): lambda o: {},
    ("post", "/api/v1/tracking/tasks/{tracked_task_id}/cancel"): lambda o: {"reason": "越权撤销"},
    ("post", "/api/v1/tracking/tasks/{tracked_task_id}/due"): lambda o: {"due_on": "2027-02-28", "reason": "越权调整"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """The records one side owns: a task list of the branch with an overdue task, a report and its file."""
    from grassroots.tracking import services
    from grassroots.tracking.models import ProgressReport, ReportFile

    task_list = services.create_list(user, branch, title=f"{branch.name}整改任务清单", source="walk.case", source_id=branch.pk)
    task = services.add_task(user, task_list, title=f"{member.name}负责的{branch.name}整改任务", due_on=datetime.date(2026, 1, 31),
                             assignee_org=branch, responsible_name=member.name)
    report = ProgressReport.objects.create(task=task, reported_on=datetime.date(2026, 1, 10), percent=10, text=f"{branch.name}进展", reported_by=user)
    row = ReportFile.objects.create(report=report, file="tracking/2026/01/walk.png", original_name=f"{branch.name}.png", sha256="0" * 64,
                                    size=10, content_type="image/png")
    return {"tracking_list": task_list.pk, "tracking_task": task.pk, "tracking_file": row.pk}
