from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Status(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class State(models.TextChoices):
    """Membership state (党籍状态)."""

    NORMAL = "normal", "正常"
    FLOATING = "floating", "流动"
    LOST_CONTACT = "lost_contact", "失联"
    # 党员教育管理工作条例 (2019): lost contact for 6 months and a failed search; membership suspended.
    SUSPENDED = "suspended", "停止党籍"
    LEFT = "left", "已出党"
    # 组织关系转出 to an organization outside this platform: the record stays, off the register.
    TRANSFERRED_OUT = "transferred_out", "已转出"


# States off the register: counted nowhere, kept for their history.
OFF_REGISTER = frozenset({State.LEFT, State.TRANSFERRED_OUT})


# The 56 ethnic groups in the order and with the codes of GB/T 3304-1991, plus the two
# categories national statistics also use.
ETHNICITIES = [
    ("01", "汉族"), ("02", "蒙古族"), ("03", "回族"), ("04", "藏族"), ("05", "维吾尔族"), ("06", "苗族"),
    ("07", "彝族"), ("08", "壮族"), ("09", "布依族"), ("10", "朝鲜族"), ("11", "满族"), ("12", "侗族"),
    ("13", "瑶族"), ("14", "白族"), ("15", "土家族"), ("16", "哈尼族"), ("17", "哈萨克族"), ("18", "傣族"),
    ("19", "黎族"), ("20", "傈僳族"), ("21", "佤族"), ("22", "畲族"), ("23", "高山族"), ("24", "拉祜族"),
    ("25", "水族"), ("26", "东乡族"), ("27", "纳西族"), ("28", "景颇族"), ("29", "柯尔克孜族"), ("30", "土族"),
    ("31", "达斡尔族"), ("32", "仫佬族"), ("33", "羌族"), ("34", "布朗族"), ("35", "撒拉族"), ("36", "毛南族"),
    ("37", "仡佬族"), ("38", "锡伯族"), ("39", "阿昌族"), ("40", "普米族"), ("41", "塔吉克族"), ("42", "怒族"),
    ("43", "乌孜别克族"), ("44", "俄罗斯族"), ("45", "鄂温克族"), ("46", "德昂族"), ("47", "保安族"),
    ("48", "裕固族"), ("49", "京族"), ("50", "塔塔尔族"), ("51", "独龙族"), ("52", "鄂伦春族"), ("53", "赫哲族"),
    ("54", "门巴族"), ("55", "珞巴族"), ("56", "基诺族"), ("97", "其他未识别民族"), ("98", "外国人入籍"),
]
HAN = "01"


class Education(models.TextChoices):
    """学历, in the groups of the Party's internal statistics (党内统计)."""

    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中等专科"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR_HIGH = "junior_high", "初中"
    PRIMARY = "primary", "小学及以下"


class Degree(models.TextChoices):
    DOCTOR = "doctor", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "学士"
    NONE = "none", "无"


class Occupation(models.TextChoices):
    """党员职业, in the categories of the Party's internal statistics."""

    WORKER = "worker", "工人"
    FARMER = "farmer", "农牧渔民"
    PROFESSIONAL = "professional", "专业技术人员"
    MANAGER = "manager", "企事业单位管理人员"
    CIVIL_SERVANT = "civil_servant", "党政机关工作人员"
    STUDENT = "student", "学生"
    MILITARY = "military", "军人、武警"
    RETIRED = "retired", "离退休人员"
    OTHER = "other", "其他职业人员"


class LeftReason(models.TextChoices):
    """How a member left the register (出党方式)."""

    EXPELLED = "expelled", "开除党籍"
    REMOVED = "removed", "除名"
    WITHDREW = "withdrew", "退党"
    SELF_LEFT = "self_left", "自行脱党"
    DECEASED = "deceased", "去世"
    # 发展党员工作细则 art. 30: a probationary member who fails the probation is disqualified.
    DISQUALIFIED = "disqualified", "取消预备党员资格"


class EventKind(models.TextChoices):
    CREATED = "created", "建立档案"
    UPDATED = "updated", "修改信息"
    STATUS = "status", "党员类别变更"
    STATE = "state", "党籍状态变更"
    MOVED = "moved", "所在党组织变更"


class RequestState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已同意"
    REJECTED = "rejected", "已驳回"


class ImportState(models.TextChoices):
    PENDING = "pending", "排队中"
    CHECKING = "checking", "检查中"
    FAILED = "failed", "未导入（有错误）"
    APPLYING = "applying", "导入中"
    DONE = "done", "已完成"
