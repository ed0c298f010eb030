from django.db import models


class CampaignState(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已结束"


class ReportState(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "待乡镇核实"
    RETURNED = "returned", "退回补正"
    VERIFIED = "verified", "已核实"


class ApplyTo(models.TextChoices):
    RURAL = "rural", "村"
    COMMUNITY = "community", "社区"
