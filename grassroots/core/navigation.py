"""The side menu as data. Each app lists its entries in its own `menu.py`:

    from grassroots.core import scoping
    from grassroots.core.navigation import MenuItem, Section

    ITEMS = [
        MenuItem("谈心谈话", "talks:talk_list", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("talks:*",)),
    ]

`show(user)` says whether the user's roles can use the page (a plain function of core.scoping); `active_on` lists
the other view names (or "namespace:*" patterns) under which the entry is marked as the current one. Sections
follow the parts of the 2014 notice and are shown in the order below.
"""

from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatchcase

from django.urls import reverse

from . import scoping
from .registry import app_modules


class Section(Enum):
    """Menu sections, in display order: (key, label). HOME has no heading."""

    HOME = ("home", "")
    ORGS = ("orgs", "组织体系")
    MEMBERS = ("members", "党员")
    ORGLIFE = ("orglife", "组织生活")
    MEMBER_WORK = ("member_work", "党员管理")
    VILLAGE = ("village", "村（居）务")
    RECTIFY = ("rectify", "整顿与帮扶")
    LEADERS = ("leaders", "带头人队伍")
    OVERSIGHT = ("oversight", "监督考核")
    SYSTEM = ("system", "系统")

    @property
    def key(self):
        return self.value[0]

    @property
    def label(self):
        return self.value[1]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    section: Section
    show: object = scoping.everyone  # function(user) -> bool
    active_on: tuple = ()  # further view names or "namespace:*" patterns that mark this entry current
    order: int = 100  # inside the section, lower first; equal orders keep INSTALLED_APPS order

    def url(self):
        return reverse(self.url_name)

    def matches(self, view_name):
        """How well the entry claims `view_name`: its own page beats any pattern, a longer (more specific)
        pattern beats a shorter one; 0 when it does not claim it at all."""
        if view_name == self.url_name:
            return 10_000
        return max((len(p) for p in self.active_on if fnmatchcase(view_name, p)), default=0)


@dataclass
class ShownItem:
    label: str
    url: str
    active: bool = False


@dataclass
class ShownSection:
    key: str
    label: str
    items: list
    open: bool


def all_items():
    """Every app's menu entries, in section order and then by `order`."""
    items = [item for _, module in app_modules("menu") for item in module.ITEMS]
    sections = list(Section)
    return sorted(items, key=lambda item: (sections.index(item.section), item.order))


def menu_for(user, view_name=""):
    """The sections and entries `user` may use, with the one entry that best claims `view_name` (the resolved
    URL's "namespace:name") marked active. Sections with no entry for the user are left out."""
    by_section, best, best_score = {}, None, 0
    for item in all_items():
        if not item.show(user):
            continue
        entry = ShownItem(item.label, item.url())
        score = item.matches(view_name) if view_name else 0
        if score > best_score:
            best, best_score = entry, score
        by_section.setdefault(item.section, []).append(entry)
    if best is not None:
        best.active = True
    return [
        ShownSection(section.key, section.label, by_section[section], any(e.active for e in by_section[section]))
        for section in Section if section in by_section
    ]
