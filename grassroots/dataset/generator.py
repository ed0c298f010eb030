"""Synthetic data shaped like Changzhou (常州市), for demos and for load tests.

Everything here is made up except the city and its six county-level divisions: township,
village, community, company and person names are built from syllable lists; addresses and
phone numbers are invented. Every row carries is_synthetic=True.

How it works, in three steps, one code path for every scale:

1. `build_tree()` builds the whole organization tree in memory (plain `Node` objects) with
   a seeded random generator, then `assign_paths()` gives every node its treebeard
   materialized path (steplen 4, base 36), depth and numchild.
2. `load()` writes organizations, then members, then leadership posts with `bulk_create`
   in batches inside one transaction. No per-row queries, no treebeard add_child.
   Members carry the full registry record (`RegistryFactory`): a valid GB 11643 ID number
   agreeing with their birth date and gender, encrypted, hashed and masked like the services
   do it; phone, native place, education and degree, occupation fitting age and unit, work
   unit and community of residence. About 1.5 % of records miss education, phone or native
   place, 0.3 % the ID number, and a few ID numbers are registered twice, on purpose: the
   data-quality audit (members/quality.py) then has something to find.
3. Demo logins (accounts and role assignments) are created for the organizations tagged
   while building the tree; `DEMO_ACCOUNTS` is the one list both management commands use.

The same seed gives the same tree, names and members; dates are relative to `today`, so
pass a fixed `today` for byte-identical output on another day.
"""

import dataclasses
import datetime
import time
import unicodedata
from random import Random

from django.db import connection, transaction
from django.utils import timezone

from grassroots.core import crypto
from grassroots.core.pinyin import initials
from grassroots.core.roles import Role
from grassroots.members.choices import HAN, Degree, Education, Gender, Occupation, State, Status
from grassroots.members.rules import id_check_char
from grassroots.orgs.choices import Category, Kind, PostTitle
from grassroots.orgs.rules import default_term_years

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's default MP_Node alphabet
STEPLEN = 4
BATCH_SIZE = 2000
DEFAULT_SEED = 2014

# ---------------------------------------------------------------------------------------
# Scales
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Scale:
    """How many of each thing to build. Ranges are inclusive (low, high)."""

    name: str
    towns: dict  # district -> (towns 镇, streets 街道)
    villages_per_town: tuple
    communities_per_town: tuple
    villages_per_street: tuple
    communities_per_street: tuple
    private_per_town: tuple  # 非公企业 branches / committees under a township
    social_per_town: tuple  # 社会组织 branches
    joint_per_town: tuple  # 联合党支部
    departments: int  # departments in each district's 机关工委 tree
    city_departments: int  # departments in the city's 机关工委 tree
    schools: tuple  # schools under each district education bureau
    big_private: tuple  # large private companies under each 两新工委
    state_enterprises: tuple  # state-owned groups under each district
    city_state_enterprises: int
    member_factor: float = 1.0  # multiplies every member count


SCALES = {
    "demo": Scale(
        name="demo",
        towns={"溧阳市": (1, 0), "金坛区": (1, 0), "武进区": (1, 1), "新北区": (1, 0), "天宁区": (0, 1), "钟楼区": (0, 1)},
        villages_per_town=(2, 3),
        communities_per_town=(1, 1),
        villages_per_street=(0, 1),
        communities_per_street=(2, 3),
        private_per_town=(1, 2),
        social_per_town=(0, 1),
        joint_per_town=(0, 1),
        departments=2,
        city_departments=2,
        schools=(1, 1),
        big_private=(1, 1),
        state_enterprises=(0, 1),
        city_state_enterprises=1,
        member_factor=0.95,
    ),
    "city": Scale(
        name="city",
        towns={"溧阳市": (10, 3), "金坛区": (6, 3), "武进区": (12, 6), "新北区": (6, 4), "天宁区": (1, 6), "钟楼区": (1, 6)},
        villages_per_town=(10, 19),
        communities_per_town=(2, 6),
        villages_per_street=(0, 4),
        communities_per_street=(9, 16),
        private_per_town=(11, 24),
        social_per_town=(2, 5),
        joint_per_town=(1, 3),
        departments=34,
        city_departments=40,
        schools=(25, 40),
        big_private=(6, 12),
        state_enterprises=(3, 6),
        city_state_enterprises=10,
        member_factor=1.5,
    ),
}

# ---------------------------------------------------------------------------------------
# Demo logins: the one list both `generate_dataset` and `demo_logins` use
# ---------------------------------------------------------------------------------------

DEMO_PASSWORD = "Demo@2026"


@dataclasses.dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    targets: tuple  # tags set while building the tree (see `build_tree`)
    description: str
    superuser: bool = False
    full_name: str = ""  # empty: taken from the post holder or member it stands for


DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN, ("root",), "系统管理员", superuser=True, full_name="系统管理员"),
    DemoAccount("city_zzb", Role.ORG_DEPT, ("root",), "市委组织部"),
    DemoAccount("wujin_zzb", Role.ORG_DEPT, ("wujin",), "武进区委组织部"),
    DemoAccount("tianning_zzb", Role.ORG_DEPT, ("tianning",), "天宁区委组织部"),
    DemoAccount("town_sj", Role.SECRETARY, ("wujin_town",), "镇党委书记"),
    DemoAccount("branch_a_sj", Role.SECRETARY, ("branch_a",), "党支部书记（支部甲）"),
    DemoAccount("branch_b_sj", Role.SECRETARY, ("branch_b",), "党支部书记（支部乙）"),
    DemoAccount("supervisor_dd", Role.SUPERVISOR, ("wujin", "xinbei"), "督导组"),
    DemoAccount("member_dy", Role.MEMBER, ("branch_a",), "普通党员（支部甲）"),
    DemoAccount("village_sj", Role.SECRETARY, ("village",), "村党委书记（四议两公开）"),
    DemoAccount("village_jw", Role.VILLAGE_MONITOR, ("village",), "村务监督委员会成员"),
]

# ---------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------

# (name, region code, established, unit prefix for official names, short name of the committee, tag)
DISTRICTS = [
    ("溧阳市", "320481", datetime.date(1949, 4, 26), "溧阳市", "溧阳市委", "liyang"),
    ("金坛区", "320413", datetime.date(1949, 4, 25), "常州市金坛区", "金坛区委", "jintan"),
    ("武进区", "320412", datetime.date(1949, 5, 1), "常州市武进区", "武进区委", "wujin"),
    ("新北区", "320411", datetime.date(2002, 4, 12), "常州市新北区", "新北区委", "xinbei"),
    ("天宁区", "320402", datetime.date(1950, 5, 16), "常州市天宁区", "天宁区委", "tianning"),
    ("钟楼区", "320404", datetime.date(1950, 5, 16), "常州市钟楼区", "钟楼区委", "zhonglou"),
]
CITY_REGION = "320400"

PLACE_FIRST = list("湖雪洛横礼嘉前牛奔邹南夏西东潞戚丁青茶红新罗孟薛春魏郑河龙安永丰芙遥观兰茅白上竹梅华汤庄金埠黄马章焦卜寨石荷平圩漕蒋殷尧后北")
PLACE_SECOND = list("塘堰桥港墅林溪泾渎浦庄湾巷阳山城头河坝口甸荡渚园里店埂田圩墩")
COMMUNITY_FIRST = list("清翠兰花丽和平康乐锦绣阳光荷青松竹梅枫景德润嘉泰博瑞宁华明月星紫金云天富怡")
COMMUNITY_SECOND = list("苑园湾城景庭坊里潭桥华宁安泰馨都秀峰亭墅湖府港苑湖庄")
BRAND_FIRST = list("华达恒瑞鑫盛源泰宏康远通安信宇天润力金新和永昌隆丰佳美博创科凯晨星光辉联海东方中精益立嘉")
BRAND_SECOND = list("达盛泰宇通瑞源鑫亿诚德利兴科联创邦威锐特维越腾豪杰航迪森普力华发")
INDUSTRIES = [
    "机械制造", "精密机械", "电子科技", "新材料", "纺织", "化工", "电机", "光伏科技", "汽车零部件", "建设工程",
    "物流", "食品", "医疗器械", "环保科技", "智能装备", "信息技术", "电气", "服饰", "轨道交通设备", "新能源科技",
]
ROADS = ["人民", "和平", "延陵", "解放", "劳动", "青年", "长江", "黄河", "通江", "龙城", "晋陵", "常澄", "兰陵", "玉龙", "武宜", "湖滨"]

# Departments of a city or district: (name in the city, name in a district, party organ?, big?)
DEPARTMENTS = [
    ("教育局", "教育局", False, "education"),
    ("委办公室", "委办公室", True, ""),
    ("卫生健康委员会", "卫生健康局", False, "health"),
    ("公安局", "公安分局", False, "police"),
    ("政府办公室", "政府办公室", False, ""),
    ("纪委监委", "纪委监委", True, ""),
    ("委组织部", "委组织部", True, ""),
    ("委宣传部", "委宣传部", True, ""),
    ("委统战部", "委统战部", True, ""),
    ("委政法委员会", "委政法委员会", True, ""),
    ("发展和改革委员会", "发展和改革局", False, ""),
    ("工业和信息化局", "工业和信息化局", False, ""),
    ("财政局", "财政局", False, ""),
    ("人力资源和社会保障局", "人力资源和社会保障局", False, ""),
    ("住房和城乡建设局", "住房和城乡建设局", False, ""),
    ("交通运输局", "交通运输局", False, ""),
    ("农业农村局", "农业农村局", False, ""),
    ("民政局", "民政局", False, ""),
    ("司法局", "司法局", False, ""),
    ("商务局", "商务局", False, ""),
    ("市场监督管理局", "市场监督管理局", False, ""),
    ("自然资源和规划局", "自然资源和规划局", False, ""),
    ("生态环境局", "生态环境局", False, ""),
    ("水利局", "水利局", False, ""),
    ("文化广电和旅游局", "文化广电和旅游局", False, ""),
    ("退役军人事务局", "退役军人事务局", False, ""),
    ("应急管理局", "应急管理局", False, ""),
    ("审计局", "审计局", False, ""),
    ("统计局", "统计局", False, ""),
    ("医疗保障局", "医疗保障局", False, ""),
    ("城市管理局", "城市管理局", False, ""),
    ("行政审批局", "行政审批局", False, ""),
    ("科学技术局", "科学技术局", False, ""),
    ("人大常委会办公室", "人大常委会办公室", False, ""),
    ("政协办公室", "政协办公室", False, ""),
    ("档案馆", "档案馆", False, ""),
    ("机关事务管理局", "机关事务管理局", False, ""),
    ("信访局", "信访局", False, ""),
    ("数据局", "数据局", False, ""),
    ("总工会", "总工会", False, ""),
]

# Weighted surnames (common in southern Jiangsu), weights roughly per 1,000.
SURNAMES = [
    ("王", 75), ("陈", 65), ("张", 60), ("李", 50), ("周", 40), ("吴", 40), ("徐", 40), ("刘", 40), ("朱", 35),
    ("孙", 25), ("杨", 25), ("沈", 20), ("蒋", 20), ("黄", 20), ("钱", 15), ("顾", 15), ("许", 15), ("胡", 15),
    ("陆", 12), ("马", 12), ("高", 12), ("赵", 12), ("何", 10), ("汤", 10), ("史", 10), ("潘", 10), ("曹", 10),
    ("郭", 8), ("林", 8), ("薛", 8), ("邹", 8), ("谢", 8), ("姚", 8), ("丁", 8), ("庄", 8), ("袁", 8), ("唐", 8),
    ("邵", 7), ("罗", 6), ("盛", 6), ("范", 6), ("韩", 6), ("冯", 6), ("葛", 6), ("戴", 6), ("金", 6), ("蔡", 6),
    ("叶", 6), ("宋", 6), ("严", 6), ("储", 5), ("尹", 5), ("彭", 5), ("任", 5), ("程", 5), ("殷", 5), ("秦", 5),
    ("夏", 5), ("贺", 4), ("季", 4), ("恽", 3), ("芮", 3), ("欧阳", 0.5), ("诸葛", 0.2),
]

# Given-name characters by generation and gender: (first characters, second characters)
GIVEN = {
    ("old", Gender.MALE): ("建国志明永金忠德文和福荣祥炳兴根洪振友春", "国华明平林荣生根民忠良兴清才宝发元法江新"),
    ("old", Gender.FEMALE): ("秀桂玉凤美兰月金小彩素雪红惠琴", "英珍兰芳华娣妹琴凤梅萍娟芬仙"),
    ("mid", Gender.MALE): ("建志伟海军晓小永卫立俊文国振", "军伟华强东平峰斌勇刚明涛杰波辉兵"),
    ("mid", Gender.FEMALE): ("丽晓海红春雪燕静玉小美", "萍红燕娟霞芳丽琴敏静玲洁梅"),
    ("young", Gender.MALE): ("子浩宇俊嘉文志一天家思博晨泽梓", "轩涵然豪杰宇航睿辰阳凯磊鹏超恒"),
    ("young", Gender.FEMALE): ("欣雨思梦佳诗紫可婉子雅晓心", "怡涵琪萱瑶雯婷彤悦然妍颖琳蕾"),
}

# Ethnic groups other than Han, with weights (about 2% of members in all).
MINORITIES = [("03", 25), ("11", 10), ("08", 10), ("06", 10), ("15", 10), ("02", 8), ("10", 5), ("07", 5), ("12", 5),
              ("05", 3), ("04", 3), ("13", 3), ("14", 3)]

# Age of members by the category of their unit: (mean, standard deviation, lowest, highest)
AGE_PROFILE = {
    Category.RURAL: (58, 14, 20, 90),
    Category.COMMUNITY: (60, 15, 20, 90),
    Category.AGENCY: (43, 9, 23, 62),
    Category.INSTITUTION: (42, 10, 23, 65),
    Category.SCHOOL: (40, 10, 22, 62),
    Category.STATE_ENTERPRISE: (41, 9, 21, 60),
    Category.PRIVATE_ENTERPRISE: (37, 8, 20, 62),
    Category.SOCIAL_ORGANIZATION: (40, 11, 20, 72),
    Category.OTHER: (45, 12, 20, 80),
}
FEMALE_SHARE = {
    Category.RURAL: 0.22, Category.COMMUNITY: 0.40, Category.AGENCY: 0.33, Category.INSTITUTION: 0.48,
    Category.SCHOOL: 0.58, Category.STATE_ENTERPRISE: 0.27, Category.PRIVATE_ENTERPRISE: 0.28,
    Category.SOCIAL_ORGANIZATION: 0.45, Category.OTHER: 0.30,
}
PROBATIONARY_SHARE = 0.03
FLOATING_SHARE = 0.02
LOST_CONTACT_SHARE = 0.005
MINORITY_SHARE = 0.02

# Registry fields (member-registry issue). A small share of records is left incomplete on purpose, and a
# few ID numbers are registered twice, so the data-quality audit (members/quality.py) has work to show.
MISSING_SHARE = 0.015  # each of education, phone and native place left empty
MISSING_ID_SHARE = 0.003
MEMBERS_PER_DUPLICATE = 2000  # one pair of records sharing an ID number per 2,000 members, at least 3 pairs
MIN_DUPLICATE_PAIRS = 3

# Native place (籍贯) of members born in the district: ID numbers carry the district's region code.
LOCAL_NATIVE_PLACE = {
    "320481": "江苏溧阳", "320413": "江苏金坛", "320412": "江苏武进", "320411": "江苏常州", "320402": "江苏常州",
    "320404": "江苏常州", CITY_REGION: "江苏常州",
}
# Members born elsewhere: (native place, county region code of GB/T 2260).
ELSEWHERE = [
    ("江苏江阴", "320281"), ("江苏宜兴", "320282"), ("江苏丹阳", "321181"), ("江苏泰兴", "321283"), ("江苏兴化", "321281"),
    ("江苏东台", "320981"), ("江苏如皋", "320682"), ("安徽庐江", "340124"), ("安徽怀宁", "340822"), ("河南固始", "411525"),
    ("四川宣汉", "511722"), ("山东沂南", "371321"), ("江西鄱阳", "361128"), ("湖北蕲春", "421126"), ("浙江长兴", "330522"),
]
LOCAL_SHARE = {
    Category.RURAL: 0.96, Category.COMMUNITY: 0.85, Category.AGENCY: 0.80, Category.INSTITUTION: 0.75,
    Category.SCHOOL: 0.75, Category.STATE_ENTERPRISE: 0.80, Category.PRIVATE_ENTERPRISE: 0.60,
    Category.SOCIAL_ORGANIZATION: 0.75, Category.OTHER: 0.70,
}
# Education weights (研究生, 本科, 专科, 中专, 高中, 初中, 小学及以下) by kind of unit and generation.
EDUCATION_LEVELS = [
    Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE, Education.SECONDARY_VOCATIONAL,
    Education.HIGH_SCHOOL, Education.JUNIOR_HIGH, Education.PRIMARY,
]
EDUCATION_WEIGHTS = {
    ("rural", "old"): (0, 0.5, 2, 3, 20, 45, 29.5), ("rural", "mid"): (0, 5, 15, 8, 30, 38, 4),
    ("rural", "young"): (2, 35, 35, 5, 15, 8, 0),
    ("community", "old"): (0.5, 5, 8, 8, 35, 33, 10.5), ("community", "mid"): (2, 25, 25, 10, 23, 14, 1),
    ("community", "young"): (8, 55, 25, 4, 6, 2, 0),
    ("office", "old"): (3, 40, 30, 10, 12, 5, 0), ("office", "mid"): (15, 65, 15, 2, 3, 0, 0),
    ("office", "young"): (30, 65, 5, 0, 0, 0, 0),
    ("enterprise", "old"): (1, 15, 25, 15, 30, 13, 1), ("enterprise", "mid"): (6, 40, 30, 8, 12, 4, 0),
    ("enterprise", "young"): (12, 55, 28, 2, 3, 0, 0),
}
EDUCATION_PROFILE = {
    Category.RURAL: "rural", Category.COMMUNITY: "community", Category.AGENCY: "office", Category.INSTITUTION: "office",
    Category.SCHOOL: "office", Category.STATE_ENTERPRISE: "enterprise", Category.PRIVATE_ENTERPRISE: "enterprise",
    Category.SOCIAL_ORGANIZATION: "enterprise", Category.OTHER: "enterprise",
}
# Occupation of members in work, by the category of their unit.
OCCUPATION_WEIGHTS = {
    Category.RURAL: {Occupation.FARMER: 70, Occupation.WORKER: 12, Occupation.MANAGER: 5, Occupation.PROFESSIONAL: 3,
                     Occupation.CIVIL_SERVANT: 1, Occupation.OTHER: 9},
    Category.COMMUNITY: {Occupation.WORKER: 25, Occupation.PROFESSIONAL: 18, Occupation.MANAGER: 15, Occupation.CIVIL_SERVANT: 6,
                         Occupation.FARMER: 2, Occupation.MILITARY: 1, Occupation.OTHER: 33},
    Category.AGENCY: {Occupation.CIVIL_SERVANT: 86, Occupation.PROFESSIONAL: 6, Occupation.MANAGER: 4, Occupation.OTHER: 4},
    Category.INSTITUTION: {Occupation.PROFESSIONAL: 78, Occupation.MANAGER: 15, Occupation.CIVIL_SERVANT: 3,
                           Occupation.WORKER: 2, Occupation.OTHER: 2},
    Category.SCHOOL: {Occupation.PROFESSIONAL: 85, Occupation.MANAGER: 10, Occupation.WORKER: 2, Occupation.OTHER: 3},
    Category.STATE_ENTERPRISE: {Occupation.WORKER: 33, Occupation.PROFESSIONAL: 30, Occupation.MANAGER: 32, Occupation.OTHER: 5},
    Category.PRIVATE_ENTERPRISE: {Occupation.WORKER: 45, Occupation.PROFESSIONAL: 25, Occupation.MANAGER: 24, Occupation.OTHER: 6},
    Category.SOCIAL_ORGANIZATION: {Occupation.PROFESSIONAL: 55, Occupation.MANAGER: 20, Occupation.OTHER: 25},
    Category.OTHER: {Occupation.WORKER: 40, Occupation.PROFESSIONAL: 20, Occupation.MANAGER: 15, Occupation.OTHER: 25},
}

NAME_SUFFIX = {
    Kind.COMMITTEE: "委员会", Kind.WORKING_COMMITTEE: "工作委员会", Kind.GENERAL_BRANCH: "总支部委员会",
    Kind.BRANCH: "支部委员会", Kind.JOINT_BRANCH: "联合支部委员会", Kind.TEMPORARY_BRANCH: "临时支部委员会",
}
SHORT_SUFFIX = {
    Kind.COMMITTEE: "党委", Kind.WORKING_COMMITTEE: "党工委", Kind.GENERAL_BRANCH: "党总支", Kind.BRANCH: "党支部",
    Kind.JOINT_BRANCH: "联合党支部", Kind.TEMPORARY_BRANCH: "临时党支部", Kind.GROUP: "党小组",
}
BRANCH_KINDS = (Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY_BRANCH)
COMMITTEE_TITLES = [PostTitle.SECRETARY, PostTitle.DEPUTY_SECRETARY, PostTitle.ORGANIZATION, PostTitle.PROPAGANDA,
                    PostTitle.DISCIPLINE]
BRANCH_TITLES = [PostTitle.SECRETARY, PostTitle.ORGANIZATION, PostTitle.PROPAGANDA]
DIGITS = "〇一二三四五六七八九"
ESTATE = "<estate>"  # placeholder in special branch labels: a made-up residential estate


def chinese_number(n):
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (enough for ordinals below 100)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def base36(n):
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    return digits or "0"


def child_path(parent_path, n):
    """treebeard path of the n-th (1-based) child of `parent_path` ("" for roots)."""
    return parent_path + base36(n).rjust(STEPLEN, "0")


def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text, width):
    return text + " " * (width - display_width(text))


# ---------------------------------------------------------------------------------------
# The in-memory tree
# ---------------------------------------------------------------------------------------


class Node:
    """One organization before it is saved."""

    __slots__ = (
        "kind", "category", "name", "short_name", "code", "established_on", "term_start", "term_end", "address",
        "contact_person", "contact_phone", "children", "path", "pk", "members", "leaders", "candidates", "employer", "home",
    )

    def __init__(self, kind, category, name, short_name, code):
        self.kind, self.category, self.name, self.short_name, self.code = kind, category, name, short_name, code
        self.established_on = self.term_start = self.term_end = None
        self.address = self.contact_person = self.contact_phone = ""
        self.children = []
        self.path = ""
        self.pk = None
        self.members = 0  # planned number of members attached directly
        self.leaders = False  # members directly here are the committee's leading group (older, agency profile)
        self.candidates = []  # (member pk, name, full_on) of members who may hold a post, filled while loading
        # Work unit and community of residence of the members here: None inherits the parent's (see
        # `inherit_units`); "" means members work or live in different places of the district.
        self.employer = None
        self.home = None


class NamePool:
    """Two-character names drawn without repetition, in an order fixed by the seed."""

    def __init__(self, rng, first, second):
        self.rng = rng
        self.first, self.second = list(dict.fromkeys(first)), list(dict.fromkeys(second))
        self.names = [a + b for a in self.first for b in self.second if a != b]
        rng.shuffle(self.names)
        self.extra = 0

    def take(self):
        if not self.names:  # very large scales: fall back to three characters
            self.extra += 1
            middle = self.second[(self.extra - 1) % len(self.second)]
            self.names = [a + middle + c for a in self.first for c in self.second if c != middle]
            self.rng.shuffle(self.names)
        return self.names.pop()


class Context:
    """Random generator, reference date, name pools and code counters shared while building."""

    def __init__(self, scale, seed, today):
        self.scale = scale
        self.rng = Random(seed)
        self.today = today
        self.places = NamePool(self.rng, PLACE_FIRST, PLACE_SECOND)
        self.communities = NamePool(self.rng, COMMUNITY_FIRST, COMMUNITY_SECOND)
        self.brands = NamePool(self.rng, BRAND_FIRST, BRAND_SECOND)
        self.codes = {}
        self.tags = {}
        self.person_names = PersonNames(self.rng)
        self.seed = seed
        self.homes = {}  # region -> communities (residence of members who work elsewhere)
        self.companies = {}  # region -> companies (work unit of community members and joint branches)

    def code(self, region):
        seq = self.codes.get(region, 0) + 1
        self.codes[region] = seq
        return f"D{region}{seq:06d}"

    def count(self, bounds):
        return self.rng.randint(*bounds)

    def size(self, low, high):
        """A member count, scaled."""
        return max(1, round(self.rng.randint(low, high) * self.scale.member_factor))

    def date_between(self, start, end):
        end = min(end, self.today)
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def phone(self, mobile=False):
        if mobile:
            return "1" + self.rng.choice("3589") + "".join(self.rng.choices("0123456789", k=9))
        return "0519-8" + "".join(self.rng.choices("0123456789", k=7))


def add(ctx, parent, kind, category, unit, short_unit, *, region, name=None, short_name=None, founded=(1950, 2015),
        members=0, address=""):
    """Create a node under `parent` with its official name (中共…委员会) and short name (…党委)."""
    name = name or (f"{short_unit}{SHORT_SUFFIX[kind]}" if kind == Kind.GROUP else f"中共{unit}{NAME_SUFFIX[kind]}")
    short_name = short_name or f"{short_unit}{SHORT_SUFFIX[kind]}"
    node = Node(kind, category, name, short_name, ctx.code(region))
    low = datetime.date(founded[0], 1, 1)
    if parent is not None and parent.established_on:
        low = max(low, parent.established_on)
    node.established_on = ctx.date_between(low, datetime.date(founded[1], 12, 31))
    set_term(ctx, node)
    node.members = members
    node.address = address or (parent.address if parent is not None else "")
    if kind != Kind.GROUP:
        node.contact_person = ctx.person_names.pick(Gender.MALE if ctx.rng.random() < 0.6 else Gender.FEMALE, "mid")
        node.contact_phone = ctx.phone(mobile=category in (Category.RURAL, Category.COMMUNITY) or ctx.rng.random() < 0.3)
    if parent is not None:
        parent.children.append(node)
    return node


def set_term(ctx, node):
    """Current term (本届任期): 5 years for villages and communities, 3 for others; a few are overdue."""
    if node.kind == Kind.GROUP:
        return
    years = default_term_years(node.category)
    rng = ctx.rng
    if rng.random() < 0.04:  # overdue for re-election (届满未换届)
        start = add_years(ctx.today, -years) - datetime.timedelta(days=rng.randint(15, 300))
    else:
        start = ctx.today - datetime.timedelta(days=rng.randint(0, years * 365 - 20))
    start = max(start, node.established_on)
    node.term_start = start
    node.term_end = add_years(start, years)


def add_branches(ctx, parent, unit, short_unit, count, *, region, category, size, special=()):
    """Numbered branches (第一党支部 …) under `parent`, then one of the `special` ones now and then."""
    labels = [f"第{chinese_number(i)}" for i in range(1, count + 1)]
    if special and ctx.rng.random() < 0.5:
        label = ctx.rng.choice(special)
        if label == ESTATE:  # a residential estate (小区) of the community
            label = f"{ctx.communities.take()}小区"
        labels[-1] = label
    branches = []
    for label in labels:
        branch = add(ctx, parent, Kind.BRANCH, category, f"{unit}{label}", f"{short_unit}{label}", region=region,
                     founded=(1960, 2024), members=ctx.size(*size))
        add_groups(ctx, branch, region)
        branches.append(branch)
    return branches


def add_groups(ctx, branch, region):
    """Party groups (党小组) under a larger branch; a group only ever sits under a branch."""
    assert branch.kind in BRANCH_KINDS
    if branch.members < 30 or ctx.rng.random() < 0.5:
        return
    for i in range(1, min(1 + branch.members // 30, 4) + 1):
        label = f"第{chinese_number(i)}"
        add(ctx, branch, Kind.GROUP, branch.category, "", f"{branch.short_name}{label}", region=region,
            short_name=f"{label}党小组", founded=(1960, 2024))


# ---------------------------------------------------------------------------------------
# Building the tree
# ---------------------------------------------------------------------------------------


def build_tree(ctx):
    """The whole city: root committee, city-level agencies, six districts. Returns the root node."""
    root = add(ctx, None, Kind.COMMITTEE, Category.AGENCY, "常州市", "常州市", region=CITY_REGION,
               name="中共常州市委员会", short_name="常州市委", address="常州市新北区龙城大道1号")
    root.code = f"D{CITY_REGION}000"
    root.established_on = datetime.date(1949, 4, 23)
    set_term(ctx, root)
    root.members, root.leaders = ctx.size(7, 11), True
    root.employer, root.home = "中共常州市委员会", ""
    ctx.tags["root"] = root

    for district in DISTRICTS:
        build_district(ctx, root, district)

    build_agency_tree(ctx, root, CITY_REGION, "常州市", "市", ctx.scale.city_departments, towns=[])
    build_state_enterprises(ctx, root, CITY_REGION, "常州市", "市", ctx.scale.city_state_enterprises)
    return root


def build_district(ctx, root, district):
    name, region, founded, unit, short, tag = district
    scale, rng = ctx.scale, ctx.rng
    node = add(ctx, root, Kind.COMMITTEE, Category.AGENCY, unit, name, region=region, name=f"中共{unit}委员会",
               short_name=short, address=f"{unit}{rng.choice(ROADS)}路{rng.randint(1, 300)}号")
    node.code = f"D{region}000000"
    node.established_on = founded
    set_term(ctx, node)
    node.members, node.leaders = ctx.size(7, 11), True
    node.employer = f"中共{unit}委员会"
    ctx.tags[tag] = node

    towns_count, streets_count = scale.towns[name]
    towns = []
    for i in range(towns_count):
        towns.append(build_township(ctx, node, region, unit, street=False, first_in_wujin=(tag == "wujin" and i == 0)))
    for _ in range(streets_count):
        towns.append(build_township(ctx, node, region, unit, street=True))

    prefix = "市" if name.endswith("市") else "区"
    build_agency_tree(ctx, node, region, unit, prefix, scale.departments, towns=towns)
    build_two_new(ctx, node, region, unit, name)
    build_state_enterprises(ctx, node, region, unit, prefix, ctx.count(scale.state_enterprises))


def build_township(ctx, district, region, district_unit, *, street, first_in_wujin=False):
    """A township (镇党委) or street (街道党工委) with its villages, communities, agencies and companies."""
    scale, rng = ctx.scale, ctx.rng
    place = ctx.places.take()
    suffix = "街道" if street else "镇"
    unit, short = f"{district_unit}{place}{suffix}", f"{place}{suffix}"
    kind = Kind.WORKING_COMMITTEE if street else Kind.COMMITTEE
    town = add(ctx, district, kind, Category.AGENCY, unit, short, region=region, founded=(1956, 2005),
               address=f"{district_unit}{place}{suffix}{rng.choice(ROADS)}路{rng.randint(1, 200)}号")
    town.members, town.leaders = ctx.size(5, 9), True
    town.employer = f"{unit}{'办事处' if street else '人民政府'}"
    if first_in_wujin:
        ctx.tags["wujin_town"] = town

    # Township organs: a general branch with a few branches, and the health centre.
    organs = add(ctx, town, Kind.GENERAL_BRANCH, Category.AGENCY, f"{unit}机关", f"{short}机关", region=region,
                 founded=(1980, 2010))
    add_branches(ctx, organs, f"{unit}机关", f"{short}机关", ctx.count((2, 4)), region=region, category=Category.AGENCY,
                 size=(10, 28), special=("离退休干部",))
    clinic = "社区卫生服务中心" if street else "卫生院"
    health = add(ctx, town, Kind.BRANCH, Category.INSTITUTION, f"{unit}{clinic}", f"{short}{clinic}", region=region,
                 founded=(1985, 2015), members=ctx.size(8, 25))
    health.employer = f"{unit}{clinic}"

    villages = ctx.count(scale.villages_per_street if street else scale.villages_per_town)
    communities = ctx.count(scale.communities_per_street if street else scale.communities_per_town)
    for i in range(villages):
        build_village(ctx, town, region, unit, short, force_committee=first_in_wujin and i == 0)
    for _ in range(communities):
        build_community(ctx, town, region, unit, short)

    for _ in range(ctx.count(scale.private_per_town)):
        build_private_enterprise(ctx, town, region, unit, big=rng.random() < 0.12)
    for _ in range(ctx.count(scale.social_per_town)):
        build_social_organization(ctx, town, region, unit, short)
    for i in range(1, ctx.count(scale.joint_per_town) + 1):
        area = rng.choice(["工业集中区", "商务楼宇", "个体工商户", "科技园"])
        label = f"{area}第{chinese_number(i)}"
        branch = add(ctx, town, Kind.JOINT_BRANCH, Category.PRIVATE_ENTERPRISE, f"{unit}{label}", f"{short}{label}",
                     region=region, founded=(2005, 2024), members=ctx.size(6, 25))
        branch.employer = ""
        add_groups(ctx, branch, region)
    if rng.random() < 0.1:
        project = f"{ctx.places.take()}{rng.choice(['大桥', '快速路', '片区改造', '产业园'])}建设项目"
        temporary = add(ctx, town, Kind.TEMPORARY_BRANCH, Category.OTHER, f"{unit}{project}", project, region=region,
                        founded=(2022, 2025), members=ctx.size(5, 15))
        temporary.employer = ""
    return town


def build_village(ctx, town, region, town_unit, town_short, *, force_committee=False):
    rng = ctx.rng
    place = ctx.places.take()
    unit, short = f"{town_unit}{place}村", f"{place}村"
    address = f"{town_unit}{place}村{rng.randint(1, 120)}号"
    roll = 0.0 if force_committee else rng.random()
    if roll < 0.40:
        village = add(ctx, town, Kind.COMMITTEE, Category.RURAL, unit, short, region=region, founded=(1955, 2005),
                      address=address)
        add_branches(ctx, village, unit, short, ctx.count((3, 6)), region=region, category=Category.RURAL,
                     size=(22, 55), special=("老年党员", "流动党员", "股份经济合作社", "农业专业合作社"))
    elif roll < 0.75:
        village = add(ctx, town, Kind.GENERAL_BRANCH, Category.RURAL, unit, short, region=region, founded=(1955, 2005),
                      address=address)
        add_branches(ctx, village, unit, short, ctx.count((2, 4)), region=region, category=Category.RURAL,
                     size=(20, 45), special=("老年党员", "流动党员"))
    else:
        village = add(ctx, town, Kind.BRANCH, Category.RURAL, unit, short, region=region, founded=(1955, 2005),
                      address=address, members=ctx.size(28, 70))
        add_groups(ctx, village, region)
    village.employer = village.home = f"{town_short}{place}村"
    return village


def build_community(ctx, town, region, town_unit, town_short):
    rng = ctx.rng
    place = ctx.communities.take()
    unit, short = f"{town_unit}{place}社区", f"{place}社区"
    address = f"{town_unit}{rng.choice(ROADS)}路{rng.randint(1, 400)}号{place}社区党群服务中心"
    roll = rng.random()
    if roll < 0.35:
        community = add(ctx, town, Kind.COMMITTEE, Category.COMMUNITY, unit, short, region=region,
                        founded=(1990, 2020), address=address)
        add_branches(ctx, community, unit, short, ctx.count((3, 6)), region=region, category=Category.COMMUNITY,
                     size=(15, 45), special=("退休党员", "在职党员", ESTATE, "网格"))
    elif roll < 0.55:
        community = add(ctx, town, Kind.GENERAL_BRANCH, Category.COMMUNITY, unit, short, region=region,
                        founded=(1990, 2020), address=address)
        add_branches(ctx, community, unit, short, ctx.count((2, 4)), region=region, category=Category.COMMUNITY,
                     size=(15, 40), special=("退休党员", ESTATE))
    else:
        community = add(ctx, town, Kind.BRANCH, Category.COMMUNITY, unit, short, region=region, founded=(1990, 2020),
                        address=address, members=ctx.size(22, 60))
        add_groups(ctx, community, region)
    community.employer, community.home = "", f"{town_short}{place}社区"
    ctx.homes.setdefault(region, []).append(community.home)
    return community


def company_name(ctx, city="常州"):
    return f"{city}{ctx.brands.take()}{ctx.rng.choice(INDUSTRIES)}有限公司"


def build_private_enterprise(ctx, parent, region, unit_prefix, *, big):
    """A non-public company: usually one small branch, sometimes a committee with workshop branches."""
    company = company_name(ctx)
    short = company.removeprefix("常州").removesuffix("有限公司")
    address = f"{unit_prefix}{ctx.rng.choice(ROADS)}路{ctx.rng.randint(1, 500)}号"
    if big:
        node = add(ctx, parent, Kind.COMMITTEE, Category.PRIVATE_ENTERPRISE, company, short, region=region,
                   founded=(2000, 2022), address=address)
        labels = ["生产", "技术研发", "营销", "行政后勤", "质量管理", "第二生产"][: ctx.count((2, 5))]
        for label in labels:
            branch = add(ctx, node, Kind.BRANCH, Category.PRIVATE_ENTERPRISE, f"{company}{label}", f"{short}{label}",
                         region=region, founded=(2000, 2024), members=ctx.size(8, 30))
            add_groups(ctx, branch, region)
    else:
        node = add(ctx, parent, Kind.BRANCH, Category.PRIVATE_ENTERPRISE, company, short, region=region,
                   founded=(2000, 2024), address=address, members=ctx.size(3, 18))
    node.employer = company
    ctx.companies.setdefault(region, []).append(company)
    return node


def build_social_organization(ctx, parent, region, unit, short):
    template = ctx.rng.choice([
        "{short}{place}社会工作服务社", "常州{brand}律师事务所", "常州{brand}会计师事务所", "{short}{brand}养老服务中心",
        "{short}{place}商会", "{short}{place}志愿者协会", "常州{brand}幼儿园",
    ])
    name = template.format(
        short=short,
        place=ctx.places.take() if "{place}" in template else "",
        brand=ctx.brands.take() if "{brand}" in template else "",
    )
    org_unit = name if name.startswith("常州") else f"{unit}{name.removeprefix(short)}"
    node = add(ctx, parent, Kind.BRANCH, Category.SOCIAL_ORGANIZATION, org_unit, name.removeprefix("常州"), region=region,
               founded=(2005, 2024), members=ctx.size(3, 12))
    node.employer = org_unit
    return node


def build_two_new(ctx, district, region, unit, district_name):
    """两新工委: large private companies, the lawyers' committee, social organizations, joint branches."""
    rng = ctx.rng
    short = district_name
    committee = add(ctx, district, Kind.WORKING_COMMITTEE, Category.AGENCY, f"{unit}非公有制经济组织和社会组织",
                    short, region=region, short_name=f"{short}两新工委", founded=(2005, 2015))
    committee.members, committee.leaders = ctx.size(4, 7), True
    for _ in range(ctx.count(ctx.scale.big_private)):
        build_private_enterprise(ctx, committee, region, unit, big=True)
    lawyers = add(ctx, committee, Kind.COMMITTEE, Category.SOCIAL_ORGANIZATION, f"{unit}律师行业", f"{short}律师行业",
                  region=region, founded=(2008, 2018))
    for _ in range(max(1, ctx.count(ctx.scale.big_private) // 2)):
        firm = f"江苏{ctx.brands.take()}律师事务所"
        law_firm = add(ctx, lawyers, Kind.BRANCH, Category.SOCIAL_ORGANIZATION, firm, firm.removeprefix("江苏"), region=region,
                       founded=(2008, 2024), members=ctx.size(3, 15))
        law_firm.employer = firm
    for i in range(1, max(1, ctx.count(ctx.scale.joint_per_town)) + 1):
        label = f"{rng.choice(['商务楼宇', '物流行业', '电子商务', '快递行业'])}第{chinese_number(i)}"
        branch = add(ctx, committee, Kind.JOINT_BRANCH, Category.PRIVATE_ENTERPRISE, f"{unit}{label}", f"{short}{label}",
                     region=region, founded=(2010, 2024), members=ctx.size(6, 25))
        branch.employer = ""
        add_groups(ctx, branch, region)
    for _ in range(max(1, ctx.count(ctx.scale.social_per_town))):
        build_social_organization(ctx, committee, region, unit, short)


def department_names(unit, dept):
    """('常州市武进区教育局' style full unit, '武进区教育局' style short unit) of a department."""
    city_name, district_name, _party, _special = dept
    if unit == "常州市":
        return f"{unit}{city_name}", f"市{city_name}"
    return f"{unit}{district_name}", f"{unit.removeprefix('常州市')}{district_name}"


def build_agency_tree(ctx, parent, region, unit, prefix, count, *, towns):
    """机关工委 → 机关党委 / 党总支 / 党支部 of each department, with schools, hospitals and police stations."""
    rng = ctx.rng
    committee = add(ctx, parent, Kind.WORKING_COMMITTEE, Category.AGENCY, f"{unit}级机关", f"{prefix}级机关", region=region,
                    short_name=f"{'市' if unit == '常州市' else parent.short_name.removesuffix('委')}级机关工委",
                    founded=(1980, 2000))
    committee.members, committee.leaders = ctx.size(4, 7), True
    for dept in DEPARTMENTS[:count]:
        dept_unit, dept_short = department_names(unit, dept)
        special = dept[3]
        roll = rng.random()
        if special:  # a system committee (区教育局党委) over its own organs and its schools, hospitals or stations
            node = add(ctx, committee, Kind.COMMITTEE, Category.AGENCY, dept_unit, dept_short, region=region,
                       founded=(1980, 2010))
            add_branches(ctx, node, f"{dept_unit}机关", f"{dept_short}机关", ctx.count((2, 4)), region=region,
                         category=Category.AGENCY, size=(8, 26), special=("离退休干部",))
        elif roll < 0.35:
            node = add(ctx, committee, Kind.COMMITTEE, Category.AGENCY, f"{dept_unit}机关", f"{dept_short}机关",
                       region=region, founded=(1980, 2015))
            add_branches(ctx, node, f"{dept_unit}机关", f"{dept_short}机关", ctx.count((2, 5)), region=region,
                         category=Category.AGENCY, size=(8, 26), special=("离退休干部",))
        elif roll < 0.6:
            node = add(ctx, committee, Kind.GENERAL_BRANCH, Category.AGENCY, f"{dept_unit}机关", f"{dept_short}机关",
                       region=region, founded=(1980, 2015))
            add_branches(ctx, node, f"{dept_unit}机关", f"{dept_short}机关", ctx.count((2, 3)), region=region,
                         category=Category.AGENCY, size=(8, 20), special=("离退休干部",))
        else:
            node = add(ctx, committee, Kind.BRANCH, Category.AGENCY, f"{dept_unit}机关", f"{dept_short}机关",
                       region=region, founded=(1980, 2015), members=ctx.size(8, 30))
            add_groups(ctx, node, region)
        node.employer = dept_unit
        if special == "education":
            build_schools(ctx, node, region, unit, ctx.count(ctx.scale.schools))
        elif special == "health":
            build_hospitals(ctx, node, region, unit)
        elif special == "police":
            build_police(ctx, node, region, unit, dept_unit, towns)
    return committee


def build_schools(ctx, parent, region, unit, count):
    rng = ctx.rng
    for _ in range(count):
        place = ctx.places.take()
        school = rng.choice(["中学", "初级中学", "实验小学", "中心小学", "小学", "高级中学", "幼儿园", "职业技术学校"])
        name, short = f"{unit}{place}{school}", f"{place}{school}"
        if rng.random() < 0.3:
            node = add(ctx, parent, Kind.GENERAL_BRANCH, Category.SCHOOL, name, short, region=region, founded=(1978, 2020))
            add_branches(ctx, node, name, short, ctx.count((2, 4)), region=region, category=Category.SCHOOL, size=(10, 30),
                         special=("退休教师",))
        else:
            node = add(ctx, parent, Kind.BRANCH, Category.SCHOOL, name, short, region=region, founded=(1978, 2022),
                       members=ctx.size(10, 45))
            add_groups(ctx, node, region)
        node.employer = name


def build_hospitals(ctx, parent, region, unit):
    region_short = unit.removeprefix("常州市") or "市"
    for hospital, kind in (("人民医院", Kind.COMMITTEE), ("中医医院", Kind.GENERAL_BRANCH), ("妇幼保健院", Kind.BRANCH)):
        name, short = f"{unit}{hospital}", f"{region_short}{hospital}"
        if kind == Kind.BRANCH:
            node = add(ctx, parent, kind, Category.INSTITUTION, name, short, region=region, founded=(1960, 2000),
                       members=ctx.size(15, 40))
            node.employer = name
            add_groups(ctx, node, region)
            continue
        node = add(ctx, parent, kind, Category.INSTITUTION, name, short, region=region, founded=(1955, 2000))
        node.employer = name
        labels = ["内科", "外科", "医技", "护理", "行政后勤", "离退休"] if kind == Kind.COMMITTEE else ["临床", "行政后勤", "离退休"]
        for label in labels[: ctx.count((3, len(labels)))]:
            branch = add(ctx, node, Kind.BRANCH, Category.INSTITUTION, f"{name}{label}", f"{short}{label}", region=region,
                         founded=(1970, 2024), members=ctx.size(12, 40))
            add_groups(ctx, branch, region)


def build_police(ctx, parent, region, unit, dept_unit, towns):
    region_short = unit.removeprefix("常州市") or "市"
    labels = [t.short_name.removesuffix("党委").removesuffix("党工委").removesuffix("镇").removesuffix("街道") + "派出所"
              for t in towns] + [f"{region_short}公安{team}" for team in ("交通警察大队", "刑事侦查大队", "治安管理大队")]
    for label in labels:
        branch = add(ctx, parent, Kind.BRANCH, Category.AGENCY, f"{dept_unit}{label}", label, region=region,
                     founded=(1985, 2020), members=ctx.size(10, 35))
        branch.employer = f"{dept_unit}{label}"
        add_groups(ctx, branch, region)


def build_state_enterprises(ctx, parent, region, unit, prefix, count):
    """国资委党委 with state-owned groups (集团党委 → subsidiaries' branches)."""
    if count <= 0:
        return None
    sasac = add(ctx, parent, Kind.COMMITTEE, Category.AGENCY, f"{unit}国资委", f"{prefix}国资委", region=region,
                founded=(2004, 2012))
    sasac.members, sasac.leaders = ctx.size(3, 6), True
    sasac.employer = f"{unit}人民政府国有资产监督管理委员会"
    for _ in range(count):
        group = f"{unit}{ctx.brands.take()}{ctx.rng.choice(['投资', '城市建设', '交通产业', '文化旅游', '水务', '产业投资'])}集团有限公司"
        short = group.removeprefix(unit).removesuffix("有限公司")
        node = add(ctx, sasac, Kind.COMMITTEE, Category.STATE_ENTERPRISE, group, short, region=region, founded=(1995, 2018))
        node.employer = group
        labels = ["机关第一", "机关第二", "离退休", "置业公司", "物业公司", "工程公司", "资产管理公司", "能源公司"]
        for label in labels[: ctx.count((3, len(labels)))]:
            branch = add(ctx, node, Kind.BRANCH, Category.STATE_ENTERPRISE, f"{group}{label}", f"{short}{label}",
                         region=region, founded=(1995, 2024), members=ctx.size(10, 40))
            add_groups(ctx, branch, region)
    return sasac


def assign_paths(root_nodes, first_root=1):
    """treebeard materialized paths: the n-th child of P is P + base36(n) padded to 4 characters."""
    stack = []
    for i, node in enumerate(root_nodes, start=first_root):
        node.path = child_path("", i)
        stack.append(node)
    while stack:
        node = stack.pop()
        for i, child in enumerate(node.children, start=1):
            child.path = child_path(node.path, i)
            stack.append(child)


def walk(root):
    """Every node in path order (pre-order)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def tag_demo_targets(ctx):
    """Two sibling branches of one village in the tagged 武进 township: 支部甲 and 支部乙."""
    town = ctx.tags["wujin_town"]
    for village in town.children:
        branches = [c for c in village.children if c.kind == Kind.BRANCH]
        if village.category == Category.RURAL and len(branches) >= 2:
            ctx.tags["village"] = village
            ctx.tags["branch_a"], ctx.tags["branch_b"] = branches[0], branches[1]
            return


# ---------------------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------------------


class PersonNames:
    """Chinese names: weighted surnames and given names that fit the generation."""

    def __init__(self, rng):
        self.rng = rng
        self.surnames = [s for s, _ in SURNAMES]
        total, self.surname_weights = 0.0, []
        for _, weight in SURNAMES:
            total += weight
            self.surname_weights.append(total)

    def pick(self, gender, generation):
        rng = self.rng
        first, second = GIVEN[(generation, gender)]
        surname = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        single = rng.random() < (0.3 if generation == "old" else 0.15)
        given = rng.choice(second) if single else rng.choice(first) + rng.choice(second)
        return surname + given


def generation_of(birth_year):
    if birth_year < 1965:
        return "old"
    return "mid" if birth_year < 1988 else "young"


class MemberFactory:
    """Builds unsaved Member objects; pinyin initials are cached per name."""

    def __init__(self, ctx):
        from grassroots.members.models import Member

        self.Member = Member
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.today_ordinal = ctx.today.toordinal()
        self.names = ctx.person_names
        self.initials = {}
        self.minorities = [code for code, _ in MINORITIES]
        self.minority_weights = []
        total = 0
        for _, weight in MINORITIES:
            total += weight
            self.minority_weights.append(total)
        self.registry = RegistryFactory(ctx)

    def initials_of(self, name):
        value = self.initials.get(name)
        if value is None:
            value = self.initials[name] = initials(name)
        return value

    def make(self, node, need_id=False):
        """Returns (member, may hold a post). `need_id`: never leave this one's ID number empty."""
        rng, today = self.rng, self.today
        if node.leaders:
            mean, sd, low, high = 50, 6, 35, 60
            female_share = 0.25
        else:
            mean, sd, low, high = AGE_PROFILE[node.category]
            female_share = FEMALE_SHARE[node.category]
        probationary = not node.leaders and rng.random() < PROBATIONARY_SHARE
        if probationary:  # joined within the last year, mostly young
            age = min(max(rng.gauss(30, 7), 19.2), 50.0)
        else:
            age = min(max(rng.gauss(mean, sd), max(low, 20.2)), high + 0.9)
        birth = datetime.date.fromordinal(self.today_ordinal - int(age * 365.2425))
        if probationary:
            joined = today - datetime.timedelta(days=rng.randint(1, 360))
            full_on = None
        else:
            join_age = min(max(rng.gauss(27, 6.5), 18.1), age - 1.1)
            joined = datetime.date.fromordinal(birth.toordinal() + int(join_age * 365.2425))
            latest = today - datetime.timedelta(days=366)
            if joined > latest:
                joined = latest - datetime.timedelta(days=rng.randint(0, 60))
            if joined < add_years(birth, 18):
                joined = add_years(birth, 18) + datetime.timedelta(days=rng.randint(1, 30))
            full_on = add_years(joined, 1)
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        name = self.names.pick(gender, generation_of(birth.year))
        ethnicity = HAN
        if rng.random() < MINORITY_SHARE:
            ethnicity = rng.choices(self.minorities, cum_weights=self.minority_weights)[0]
        roll = rng.random()
        if node.leaders or roll >= FLOATING_SHARE + LOST_CONTACT_SHARE:
            state = State.NORMAL
        elif roll < FLOATING_SHARE:
            state = State.FLOATING
        else:
            state = State.LOST_CONTACT
        member = self.Member(
            name=name, initials=self.initials_of(name), gender=gender, ethnicity=ethnicity, birth_date=birth,
            status=Status.PROBATIONARY if probationary else Status.FULL, joined_on=joined, full_on=full_on, state=state,
            org_id=node.pk, org_path=node.path, is_synthetic=True,
        )
        self.registry.fill(member, node, age, need_id=need_id)
        eligible = not probationary and state == State.NORMAL and age < 68
        return member, eligible


class RegistryFactory:
    """The registry fields of a member: ID number, phone, native place, education, occupation, work unit, residence.

    Uses its own random generator (seeded from the dataset's seed), so the organizations and the members'
    names and dates stay as they were before these fields existed (only the few planned duplicates take
    over another member's person, and are never picked for a post). Plain values are deterministic; the
    ciphertexts are not (Fernet adds a random IV and a timestamp), which no test or feature depends on.
    """

    def __init__(self, ctx):
        self.rng = Random(ctx.seed * 7919 + 11)
        self.ctx = ctx
        self.issued = set()  # the first 17 digits of every number handed out: no accidental duplicates
        self.all_homes = [home for homes in ctx.homes.values() for home in homes] or ["龙城社区"]
        self.all_companies = [c for companies in ctx.companies.values() for c in companies] or ["个体经营"]
        self.education_weights = {}
        for key, weights in EDUCATION_WEIGHTS.items():
            self.education_weights[key] = cumulative(weights)
        self.occupations = {
            category: (list(weights), cumulative(weights.values())) for category, weights in OCCUPATION_WEIGHTS.items()
        }

    def id_number(self, region, birth, gender):
        rng = self.rng
        prefix = f"{region}{birth:%Y%m%d}"
        seq = rng.randint(1, 499)
        while True:
            first17 = f"{prefix}{seq * 2 + (1 if gender == Gender.MALE else 0):03d}"
            if first17 not in self.issued:
                self.issued.add(first17)
                return first17 + id_check_char(first17)
            seq = seq % 499 + 1

    def phone(self, age):
        rng = self.rng
        if age > 75 and rng.random() < 0.25:
            return "0519-8" + "".join(rng.choices("0123456789", k=7))
        return "1" + rng.choice("35789") + "".join(rng.choices("0123456789", k=9))

    def occupation(self, node, age, gender):
        rng, category = self.rng, node.category
        if node.leaders:
            return Occupation.CIVIL_SERVANT
        retirement_age = 60 if gender == Gender.MALE else 55
        if age >= retirement_age:
            if category == Category.RURAL:
                roll = rng.random()
                return Occupation.FARMER if roll < 0.70 else Occupation.RETIRED if roll < 0.95 else Occupation.OTHER
            if rng.random() < 0.92:
                return Occupation.RETIRED
        if age < 24 and category in (Category.COMMUNITY, Category.SCHOOL, Category.RURAL) and rng.random() < 0.4:
            return Occupation.STUDENT
        choices, weights = self.occupations[category]
        return rng.choices(choices, cum_weights=weights)[0]

    def fill(self, member, node, age, need_id=False):
        rng = self.rng
        region = node.code[1:7]
        if rng.random() < LOCAL_SHARE[node.category]:
            native, id_region = LOCAL_NATIVE_PLACE.get(region, "江苏常州"), region
        else:
            native, id_region = rng.choice(ELSEWHERE)
        if rng.random() >= MISSING_ID_SHARE or need_id:
            number = self.id_number(id_region, member.birth_date, member.gender)
            member.id_number_encrypted = crypto.encrypt(number)
            member.id_number_hash = crypto.lookup_hash(number)
            member.id_number_masked = crypto.mask_id_number(number)
        if rng.random() >= MISSING_SHARE:
            phone = self.phone(age)
            member.phone_encrypted = crypto.encrypt(phone)
            member.phone_hash = crypto.lookup_hash(phone)
            member.phone_masked = crypto.mask_phone(phone)
        member.native_place = native if rng.random() >= MISSING_SHARE else ""

        profile = "office" if node.leaders else EDUCATION_PROFILE[node.category]
        education = rng.choices(EDUCATION_LEVELS, cum_weights=self.education_weights[(profile, generation_of(member.birth_date.year))])[0]
        if education == Education.POSTGRADUATE:
            roll = rng.random()
            degree = Degree.MASTER if roll < 0.88 else Degree.DOCTOR if roll < 0.96 else Degree.NONE
        elif education == Education.BACHELOR:
            degree = Degree.BACHELOR if rng.random() < 0.92 else Degree.NONE
        else:
            degree = Degree.NONE
        if rng.random() < MISSING_SHARE:
            education, degree = "", ""
        member.education, member.degree = education, degree

        occupation = self.occupation(node, age, member.gender)
        member.occupation = occupation
        member.in_service = occupation != Occupation.RETIRED
        homes = self.ctx.homes.get(region) or self.all_homes
        member.residence = node.home or rng.choice(homes)
        if occupation == Occupation.RETIRED:
            member.work_unit = ""
        elif occupation == Occupation.STUDENT:
            member.work_unit = "在校学生"
        elif node.employer:
            member.work_unit = node.employer
        else:
            member.work_unit = rng.choice(self.ctx.companies.get(region) or self.all_companies)

    @staticmethod
    def copy_person(source, target):
        """Make `target` a second record of the person in `source` (a duplicate the audit should find)."""
        for field in DUPLICATED_FIELDS:
            setattr(target, field, getattr(source, field))


# What a duplicate record shares with the original: the person, not the organization.
DUPLICATED_FIELDS = [
    "name", "initials", "gender", "ethnicity", "birth_date", "id_number_encrypted", "id_number_hash", "id_number_masked",
    "phone_encrypted", "phone_hash", "phone_masked", "native_place", "education", "degree", "status", "joined_on", "full_on",
]


def cumulative(weights):
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def inherit_units(root):
    """Work unit and residence come from the nearest organization above that names them."""
    for node in walk(root):
        for child in node.children:
            if child.employer is None:
                child.employer = node.employer
            if child.home is None:
                child.home = node.home


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


def organization_rows(nodes):
    from grassroots.orgs.models import Organization

    for node in nodes:
        yield Organization(
            path=node.path, depth=len(node.path) // STEPLEN, numchild=len(node.children),
            name=node.name, short_name=node.short_name, code=node.code, kind=node.kind, category=node.category,
            established_on=node.established_on, term_start=node.term_start, term_end=node.term_end,
            address=node.address[:255], contact_person=node.contact_person, contact_phone=node.contact_phone,
            initials=initials(node.name)[:200], is_synthetic=True,
        )


def save_organizations(nodes):
    from grassroots.orgs.models import Organization

    for start in range(0, len(nodes), BATCH_SIZE):
        chunk = nodes[start : start + BATCH_SIZE]
        objs = Organization.objects.bulk_create(list(organization_rows(chunk)), batch_size=BATCH_SIZE)
        if any(o.pk is None for o in objs):  # databases that cannot return ids from bulk inserts
            pks = dict(Organization.objects.filter(path__in=[n.path for n in chunk]).values_list("path", "pk"))
            for node in chunk:
                node.pk = pks[node.path]
        else:
            for node, obj in zip(chunk, objs, strict=True):
                node.pk = obj.pk


def save_members(ctx, nodes, progress=None):
    """Members in batches; remembers a few post candidates per organization. Returns the count."""
    factory = MemberFactory(ctx)
    buffer, owners, eligible_flags, total = [], [], [], 0
    duplicates = plan_duplicates(factory.registry.rng, sum(node.members for node in nodes))
    originals = {}  # target index -> the member it duplicates
    index = 0

    def flush():
        nonlocal total
        saved = factory.Member.objects.bulk_create(buffer, batch_size=BATCH_SIZE)
        for member, node, eligible in zip(saved, owners, eligible_flags, strict=True):
            if member.pk is None:
                raise RuntimeError("this database cannot return ids from bulk inserts; use PostgreSQL or SQLite ≥ 3.35")
            if eligible and len(node.candidates) < 12:
                node.candidates.append((member.pk, member.name, member.full_on))
        total += len(saved)
        buffer.clear(), owners.clear(), eligible_flags.clear()
        if progress:
            progress(total)

    for node in nodes:
        for _ in range(node.members):
            member, eligible = factory.make(node, need_id=index in duplicates)
            if index in duplicates:
                originals[duplicates[index]] = member
            elif index in originals:
                RegistryFactory.copy_person(originals.pop(index), member)
                eligible = False
            index += 1
            buffer.append(member)
            owners.append(node)
            eligible_flags.append(eligible)
        if len(buffer) >= BATCH_SIZE:
            flush()
    if buffer:
        flush()
    return total


def plan_duplicates(rng, total):
    """{index of an original: index of its duplicate} for the members in the order they are made."""
    pairs = max(MIN_DUPLICATE_PAIRS, total // MEMBERS_PER_DUPLICATE)
    if total < 2 * pairs:
        return {}
    picked = sorted(rng.sample(range(total), 2 * pairs))
    return dict(zip(picked[:pairs], picked[pairs:], strict=True))


def plan_posts(ctx, nodes, force=()):
    """Leadership posts for most organizations, plus the predecessors of some secretaries."""
    from grassroots.orgs.models import Post

    rng, today = ctx.rng, ctx.today
    posts = []
    for node in nodes:
        if node.kind == Kind.GROUP:
            continue
        if node not in force and rng.random() > 0.85:
            continue
        pool = list(node.candidates)
        for child in node.children:
            pool.extend(child.candidates[:4])
        if not pool:
            continue
        rng.shuffle(pool)
        if node.kind in BRANCH_KINDS:
            titles = BRANCH_TITLES if node.members >= 7 else BRANCH_TITLES[:1]
        else:
            titles = COMMITTEE_TITLES
        start = node.term_start or node.established_on or today
        holders = set()
        secretary_start = None
        for title, (pk, _name, full_on) in zip(titles, pool, strict=False):
            started = max(start, full_on or start)
            if started > today:
                continue
            holders.add(pk)
            posts.append(Post(org_id=node.pk, title=title, holder_id=pk, started_on=started))
            if title == PostTitle.SECRETARY:
                secretary_start = started
        # The previous secretary, whose term ended when the current one began (换届).
        if secretary_start and rng.random() < 0.3:
            years = default_term_years(node.category)
            previous_start = add_years(secretary_start, -years)
            for pk, _name, full_on in pool:
                if pk in holders or not full_on or full_on > previous_start:
                    continue
                if node.established_on and previous_start < node.established_on:
                    break
                posts.append(Post(org_id=node.pk, title=PostTitle.SECRETARY, holder_id=pk, started_on=previous_start,
                                  ended_on=secretary_start, note="换届离任"))
                break
    Post.objects.bulk_create(posts, batch_size=BATCH_SIZE)
    return posts


def create_demo_logins(ctx):
    """Accounts with password DEMO_PASSWORD and their role assignments, on the tagged organizations."""
    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.members.models import Member
    from grassroots.orgs.models import Organization, Post

    tagged = {tag: node.pk for tag, node in ctx.tags.items()}
    orgs = Organization.objects.in_bulk(list(tagged.values()))
    secretaries = dict(
        Post.objects.filter(org_id__in=list(tagged.values()), title=PostTitle.SECRETARY, ended_on__isnull=True)
        .values_list("org_id", "holder__name")
    )
    official_names = ctx.person_names
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first() or User(username=account.username)
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.is_superuser = user.is_staff = account.superuser
        full_name = account.full_name
        member = None
        if account.role == Role.MEMBER:
            branch_pk = tagged[account.targets[0]]
            taken = set(Post.objects.filter(org_id=branch_pk).values_list("holder_id", flat=True))
            member = (
                Member.objects.filter(org_id=branch_pk, user__isnull=True, state=State.NORMAL)
                .exclude(pk__in=taken).order_by("pk").first()
            )
            full_name = member.name if member else full_name
        elif account.role == Role.SECRETARY:
            full_name = secretaries.get(tagged[account.targets[0]], "")
        user.full_name = full_name or official_names.pick(Gender.MALE if ctx.rng.random() < 0.6 else Gender.FEMALE, "mid")
        user.save()
        for target in account.targets:
            RoleAssignment.objects.create(user=user, role=account.role, org=orgs[tagged[target]])
        if member is not None:
            member.user = user
            member.save(update_fields=["user"])


def demo_usernames():
    """The accounts above, then those an app's demo step creates and names in its `synthetic.DEMO_LOGINS`."""
    from grassroots.core.registry import app_modules

    names = [a.username for a in DEMO_ACCOUNTS]
    for _config, module in app_modules("synthetic"):
        names += [n for n in getattr(module, "DEMO_LOGINS", ()) if n not in names]
    return names


def demo_login_rows():
    """(username, password, role, organizations) of the demo accounts as they are in the database."""
    from grassroots.accounts.models import RoleAssignment, User

    usernames = demo_usernames()
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    rows = []
    for username in usernames:
        user = users.get(username)
        if user is None or not user.is_active:
            continue
        roles = list(RoleAssignment.objects.active().filter(user=user).select_related("org").order_by("org__path"))
        if not roles:
            continue
        password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "（已修改 / changed）"
        labels = []
        for r in roles:
            if r.get_role_display() not in labels:
                labels.append(r.get_role_display())
        orgs = "、".join(r.org.short_name or r.org.name for r in roles)
        rows.append((user.username, password, "、".join(labels), orgs, user.full_name))
    return rows


def format_logins_table(rows):
    header = ("账号 username", "密码 password", "角色 role", "党组织 organization", "姓名 name")
    widths = [max(display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["演示账号 / demo logins:", "  ".join(pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(), line]
    for row in rows:
        out.append("  ".join(pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(out)


def analyze_tables():
    """Fresh planner statistics after a bulk load (PostgreSQL and SQLite both understand ANALYZE)."""
    from grassroots.members.models import Member
    from grassroots.orgs.models import Organization, Post

    with connection.cursor() as cursor:
        for model in (Organization, Member, Post):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@dataclasses.dataclass
class Result:
    organizations: int
    members: int
    posts: int
    seconds: float
    logins: bool


def demo_steps():
    """Each app's `synthetic.generate_demo`, found through the app registry, every app after the apps its
    AppConfig names in `demo_after` (points are earned from dues and meetings; talks follow the flags the others
    raise; disclosures follow decisions) and otherwise in INSTALLED_APPS order."""
    from grassroots.core.registry import app_modules

    pending = [(config, module) for config, module in app_modules("synthetic") if hasattr(module, "generate_demo")]
    labels = {config.label for config, _ in pending}
    done, ordered = set(), []
    while pending:
        ready = [i for i, (config, _) in enumerate(pending)
                 if all(dep in done or dep not in labels for dep in getattr(config, "demo_after", ()))]
        if not ready:
            raise ValueError(f"demo_after forms a cycle among {[c.label for c, _ in pending]}")
        config, module = pending.pop(ready[0])
        done.add(config.label)
        ordered.append(module.generate_demo)
    return ordered


def load(scale="demo", seed=DEFAULT_SEED, *, logins=None, meetings=None, today=None, log=None):
    """Build and save the whole synthetic dataset. `log(message)` receives progress lines. `meetings`
    (default: on for demo) adds this year's organizational life up to today, with attendance rolls."""
    from grassroots.core import audit
    from grassroots.core.models import AuditLog
    from grassroots.orgs.models import Organization

    log = log or (lambda message: None)
    scale = SCALES[scale] if isinstance(scale, str) else scale
    logins = (scale.name == "demo") if logins is None else logins
    meetings = (scale.name == "demo") if meetings is None else meetings
    today = today or timezone.localdate()
    started = time.monotonic()

    ctx = Context(scale, seed, today)
    root = build_tree(ctx)
    tag_demo_targets(ctx)
    last_root = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    first_root = int(last_root, 36) + 1 if last_root else 1
    assign_paths([root], first_root)
    inherit_units(root)
    nodes = list(walk(root))
    log(f"已生成组织树 {len(nodes):,} 个党组织，计划党员 {sum(n.members for n in nodes):,} 名 ({time.monotonic() - started:.1f}s)")

    with transaction.atomic():
        save_organizations(nodes)
        log(f"已写入党组织 {len(nodes):,} 个 ({time.monotonic() - started:.1f}s)")
        next_report = [50_000]

        def progress(n):
            if n >= next_report[0]:
                next_report[0] += 50_000
                log(f"  … 党员 {n:,} 名 ({time.monotonic() - started:.1f}s)")

        members = save_members(ctx, nodes, progress)
        log(f"已写入党员 {members:,} 名 ({time.monotonic() - started:.1f}s)")
        force = {ctx.tags[t] for t in ("wujin_town", "branch_a", "branch_b", "wujin", "tianning", "xinbei", "root")
                 if t in ctx.tags}
        posts = plan_posts(ctx, nodes, force=force)
        log(f"已写入领导职务 {len(posts):,} 条 ({time.monotonic() - started:.1f}s)")
        if meetings:
            from grassroots.orglife.synthetic import generate_meetings

            held, rows = generate_meetings(today.year, seed, through=today, attendance=True)
            log(f"已写入组织生活会议 {held:,} 次、出席记录 {rows:,} 条 ({time.monotonic() - started:.1f}s)")
        if logins:
            create_demo_logins(ctx)
        if meetings:
            from grassroots.members.models import Member

            last_member = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for generate_demo in demo_steps():
                generate_demo(today, seed, log)
            # Members the demo steps registered through the services (approved applicants, members received
            # from outside the platform) are demo data too.
            Member.objects.filter(pk__gt=last_member).update(is_synthetic=True)
        root_org = Organization.objects.get(pk=root.pk)
        audit.record(AuditLog.Action.CREATE, obj=root_org, org_path=root_org.path, note="生成演示数据 (synthetic)")
    analyze_tables()
    return Result(len(nodes), members, len(posts), time.monotonic() - started, logins)
