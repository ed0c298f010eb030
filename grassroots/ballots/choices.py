from django.db import models


class RoundState(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "投票中"
    CLOSED = "closed", "已截止"
    PUBLISHED = "published", "已公布"
