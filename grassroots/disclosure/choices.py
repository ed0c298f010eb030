from django.db import models


class Category(models.TextChoices):
    PARTY = "party", "党务公开"
    VILLAGE = "village", "村务公开"
    FINANCE = "finance", "财务公开"
    RESIDENTS = "residents", "居务公开"
    RESOLUTION = "resolution", "决议公开"
    IMPLEMENTATION = "implementation", "实施情况公开"
    RESULT = "result", "实施结果公开"


# Categories published on a schedule (routine disclosures); the others follow a 四议两公开 matter.
ROUTINE_CATEGORIES = (Category.PARTY, Category.VILLAGE, Category.FINANCE, Category.RESIDENTS)
# The two disclosures of 四议两公开 (step 5: the resolution; step 6: the implementation and its result).
MATTER_CATEGORIES = (Category.RESOLUTION, Category.IMPLEMENTATION, Category.RESULT)


class Frequency(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


class QuestionState(models.TextChoices):
    VISIBLE = "visible", "公开"
    HIDDEN = "hidden", "已屏蔽"
