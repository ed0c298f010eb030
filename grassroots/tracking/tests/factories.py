import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.tracking import services

TODAY = datetime.date(2026, 12, 3)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def png(name="现场照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def new_list(actor, org, title="整顿任务书", source="rectification.case", source_id=1):
    return services.create_list(actor, org, title=title, source=source, source_id=source_id, source_url="/rectification/1/")


def new_task(actor, task_list, title="配齐村党组织班子", due_on=datetime.date(2026, 12, 31), **kwargs):
    return services.add_task(actor, task_list, title=title, due_on=due_on, **kwargs)
