from django.db import models


class Kind(models.TextChoices):
    SECRETARY = "secretary", "党委（党组）书记抓基层党建述职评议考核"
    VILLAGE = "village", "村党组织书记述职述廉"


class RoundState(models.TextChoices):
    REPORTING = "reporting", "述职报告"
    APPRAISAL = "appraisal", "代表评议"
    PUBLISHED = "published", "结果已公布"


class ReportState(models.TextChoices):
    DRAFT = "draft", "撰写中"
    SUBMITTED = "submitted", "已提交"
