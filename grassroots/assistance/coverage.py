"""Who must pair and who is paired: the coverage rule in one place.

Units that must pair: active organizations of a partner category (rules.PARTNER_CATEGORIES) that stand for a unit,
i.e. whose parent is a district/city committee or of another category, leaving out township and street committees (those with
a village or community under them: they lead villages, they do not assist them).
Villages: active rural organizations whose parent is not rural (the village-level Party organization).
Villages that need a pair: poor villages (an open PoorVillage flag) and weak villages under rectification.
"""

from django.apps import apps
from django.db.models import Count, Q

from grassroots.orgs.choices import Category, Kind
from grassroots.orgs.models import Organization

from . import rules
from .choices import PairingState
from .models import Pairing, PoorVillage

STEPLEN = Organization.steplen
COUNTY_DEPTH = 2  # city (1) → district / county (2) → township (3) → village (4)


def villages_under_rectification(root_path):
    """Ids of villages in the subtree with an open weak-organization case (rectification.Case). The one switch
    between this app and rectification: while that app has no Case model, no village is under rectification."""
    try:
        case_model = apps.get_model("rectification", "Case")
    except LookupError:
        return set()
    fields = {f.name for f in case_model._meta.get_fields()}
    if "org" not in fields:
        return set()
    qs = case_model.objects.filter(org__path__startswith=root_path)
    if hasattr(case_model.objects, "open"):
        qs = case_model.objects.open().filter(org__path__startswith=root_path)
    elif "closed_on" in fields:
        qs = qs.filter(closed_on__isnull=True)
    return set(qs.values_list("org_id", flat=True))


def _units(root_path):
    orgs = list(Organization.objects.filter(path__startswith=root_path, is_active=True).exclude(kind=Kind.GROUP)
                .values("id", "path", "depth", "name", "category"))
    by_path = {o["path"]: o for o in orgs}
    # township and street committees lead villages and communities: they are not assisting units
    parents_of_rural = {o["path"][:-STEPLEN] for o in orgs if o["category"] in (Category.RURAL, Category.COMMUNITY)}
    units, villages = [], []
    for o in orgs:
        parent = by_path.get(o["path"][:-STEPLEN])
        if o["category"] in rules.PARTNER_CATEGORIES and o["depth"] > COUNTY_DEPTH:
            if o["path"] in parents_of_rural:
                continue
            if parent is None or parent["depth"] <= COUNTY_DEPTH or parent["category"] not in rules.PARTNER_CATEGORIES:
                units.append(o)
        elif o["category"] == Category.RURAL and (parent is None or parent["category"] != Category.RURAL):
            villages.append(o)
    return units, villages


def coverage(root):
    """The gaps both ways under `root`, per county: units without a village, poor / weak villages without a pair."""
    units, villages = _units(root.path)
    active = Pairing.objects.filter(state=PairingState.ACTIVE).filter(Q(org_path__startswith=root.path) | Q(partner_path__startswith=root.path))
    paired_units = set(active.values_list("partner_id", flat=True))
    pair_counts = dict(active.values_list("village_id").annotate(n=Count("id")))
    poor = set(PoorVillage.objects.filter(org_path__startswith=root.path, lifted_on__isnull=True).values_list("village_id", flat=True))
    weak = villages_under_rectification(root.path)
    counties = {o["path"]: o["name"] for o in Organization.objects.filter(depth=COUNTY_DEPTH).values("path", "name")}

    def county(path):
        return path[: COUNTY_DEPTH * STEPLEN]

    rows = {}

    def row(path):
        key = county(path)
        return rows.setdefault(key, {"county": counties.get(key, "（市直）"), "units": 0, "units_paired": 0, "villages": 0,
                                     "villages_paired": 0, "needy": 0, "needy_paired": 0})

    unpaired_units, unpaired_villages = [], []
    for u in units:
        r = row(u["path"])
        r["units"] += 1
        if u["id"] in paired_units:
            r["units_paired"] += 1
        else:
            unpaired_units.append({**u, "county": r["county"]})
    for v in villages:
        r = row(v["path"])
        r["villages"] += 1
        n = pair_counts.get(v["id"], 0)
        if n:
            r["villages_paired"] += 1
        needs = [label for flag, label in ((v["id"] in poor, "贫困村"), (v["id"] in weak, "软弱涣散整顿村")) if flag]
        if needs:
            r["needy"] += 1
            if n:
                r["needy_paired"] += 1
            else:
                unpaired_villages.append({**v, "county": r["county"], "needs": "、".join(needs)})
    for r in rows.values():
        r["units_gap"], r["needy_gap"] = r["units"] - r["units_paired"], r["needy"] - r["needy_paired"]
    return {"rows": [rows[k] for k in sorted(rows)], "unpaired_units": unpaired_units, "unpaired_villages": unpaired_villages}


def needy_without_pair(root_path):
    """Poor villages and villages under rectification in the subtree that have no active pairing: [(org_id, why)]."""
    poor = dict(PoorVillage.objects.filter(org_path__startswith=root_path, lifted_on__isnull=True).values_list("village_id", "designated_on"))
    weak = villages_under_rectification(root_path)
    needy = set(poor) | weak
    paired = set(Pairing.objects.filter(state=PairingState.ACTIVE, village_id__in=needy).values_list("village_id", flat=True))
    return [(vid, "贫困村" if vid in poor else "软弱涣散整顿村", poor.get(vid)) for vid in sorted(needy - paired)]


def county_of(org):
    return Organization.objects.filter(path=org.path[: COUNTY_DEPTH * STEPLEN]).first()


def township_of(village):
    return Organization.objects.filter(path=village.path[:-STEPLEN]).first()
