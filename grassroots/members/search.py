"""Finding members. One function behind the list page, the API list and the Excel export, so the three
always agree on what "the current filtered list" is."""

import re

from django.http import Http404
from django.utils import timezone

from grassroots.core import scoping
from grassroots.orgs.models import Organization

from . import services
from .choices import HAN, OFF_REGISTER
from .forms import SORTS, MemberFilterForm
from .models import Member
from .stats import AGE_BANDS, years_ago

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
PHONE = re.compile(r"^\+?[\d\- ]+$")
PHONE_MIN_DIGITS = 7
INITIALS = re.compile(r"^[a-z0-9]+$")
DEFAULT_SORT = "org"


class Filters(dict):
    """The filters that were applied, as a dict of cleaned values (only those given and valid), with:
    `errors` {field: [Chinese message]} for values that were not understood and so not applied,
    `org` the organization of `within` (or None), `match` how the search text was read, `hint` a note
    about the search text (worth showing when nothing was found), and `form`."""

    def __init__(self, data, *, errors, form):
        super().__init__(data)
        self.errors = errors
        self.form = form
        self.org = None
        self.match = ""  # how the search text was read: id_number, phone, initials or name
        self.hint = ""


def visible_members(user):
    """The members a user may read: Member.objects.visible_to(user), and every member for a user whose
    scope is the whole tree."""
    if scoping.ALL in scoping.record_paths(user):
        return Member.objects.all()
    return Member.objects.visible_to(user)


def _text(qs, q, filters):
    """Search text: a full ID number or phone (through the keyed hash), pinyin initials (prefix), or part of a name."""
    compact = q.replace(" ", "").upper()
    if compact.isdigit() or (compact[:-1].isdigit() and compact.endswith("X")):
        filters.hint = "按公民身份号码或电话号码查找时，请输入完整的号码"
    if ID_NUMBER.match(compact):
        filters.match = "id_number"
        return services.find_by_id_number(qs, compact)
    if PHONE.match(q) and sum(ch.isdigit() for ch in q) >= PHONE_MIN_DIGITS:
        filters.match = "phone"
        return services.find_by_phone(qs, q.strip())
    if filters.hint:
        return qs.none()
    lowered = q.lower()
    if INITIALS.match(lowered):
        filters.match = "initials"
        return qs.filter(initials__startswith=lowered)
    filters.match = "name"
    return qs.filter(name__contains=q)


def filter_members(user, params, today=None):
    """(queryset, filters) for the members `user` may read that match `params` (a QueryDict or dict with
    the fields of MemberFilterForm): q, within, status, gender, ethnicity, age, education, occupation,
    joined_from, joined_to, state, sort.

    - q: a full 18-digit ID number or a full phone number finds that member (in any membership state
      unless `state` is given); ASCII letters are a pinyin-initials prefix (zs finds 张三); anything
      else is part of the name.
    - within: an organization id; its whole subtree. Raises Http404 for an organization the user may not read.
    - state: empty means on the register (not 已出党); "all" includes those who left.
    - sort: one of forms.SORTS (default: by organization, then name).
    Values that are not understood are left out and reported in `filters.errors`.
    The queryset has the organization selected (one query per page).
    """
    form = MemberFilterForm(params)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    filters = Filters(data, errors={f: list(e) for f, e in form.errors.items()}, form=form)
    today = today or timezone.localdate()
    qs = visible_members(user)

    if "within" in data:
        org = Organization.objects.visible_to(user).filter(pk=data["within"]).first()
        if org is None:
            raise Http404("找不到该党组织")
        filters.org = org
        qs = qs.within_path(org.path)

    q = data.get("q", "").strip()
    if q:
        qs = _text(qs, q, filters)

    state = data.get("state", "")
    if state == "all":
        pass
    elif state:
        qs = qs.filter(state=state)
    elif filters.match not in ("id_number", "phone"):
        qs = qs.exclude(state__in=OFF_REGISTER)

    for field in ("status", "gender", "education", "occupation"):
        if field in data:
            qs = qs.filter(**{field: data[field]})
    if data.get("ethnicity") == "minority":
        qs = qs.exclude(ethnicity=HAN)
    elif "ethnicity" in data:
        qs = qs.filter(ethnicity=data["ethnicity"])
    if "age" in data:
        low, high, _label = AGE_BANDS[int(data["age"])]
        if low is not None:  # at least `low` years old
            qs = qs.filter(birth_date__lte=years_ago(today, low))
        if high is not None:  # younger than `high`
            qs = qs.filter(birth_date__gt=years_ago(today, high))
    if "joined_from" in data:
        qs = qs.filter(joined_on__gte=data["joined_from"])
    if "joined_to" in data:
        qs = qs.filter(joined_on__lte=data["joined_to"])

    sort = data.get("sort") or DEFAULT_SORT
    return qs.select_related("org").order_by(*SORTS[sort][1]), filters
