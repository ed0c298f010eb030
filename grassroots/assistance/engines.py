"""The links to the shared engines: a task book (tracking.TaskList) per pairing or stationing, found by its
source and source_id, and the village members' rating of stationed cadres (a ballots.Round per village and year)."""

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from grassroots.ballots import rules as ballot_rules
from grassroots.ballots import services as ballots
from grassroots.ballots.models import Round
from grassroots.members.models import Member
from grassroots.tracking import services as tracking
from grassroots.tracking.models import TaskList

from .choices import StationState

SOURCES = {"pairing": "assistance.pairing", "stationing": "assistance.stationing"}
RATING_SOURCE = "assistance.rating"


def _source(obj):
    return SOURCES[obj._meta.model_name]


def task_book(obj):
    return TaskList.objects.filter(source=_source(obj), source_id=obj.pk).first()


def task_books(objs):
    """{obj.pk: TaskList} for many pairings or stationings of one kind, in one query."""
    objs = list(objs)
    if not objs:
        return {}
    rows = TaskList.objects.filter(source=_source(objs[0]), source_id__in=[o.pk for o in objs])
    return {t.source_id: t for t in rows}


def engine_url(name, *args):
    """A page of the engine, or "" while the engine's pages are not there yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@transaction.atomic
def open_task_book(actor, obj):
    """The task book (任务书) of a pairing or a stationing, created on the village by a manager of the village."""
    existing = task_book(obj)
    if existing:
        return existing
    label = "结对帮扶任务书" if obj._meta.model_name == "pairing" else "驻村工作任务书"
    who = obj.partner.name if obj._meta.model_name == "pairing" else obj.name
    url = reverse(f"assistance:{obj._meta.model_name}_detail", args=[obj.pk])
    return tracking.create_list(actor, obj.village, title=f"{obj.village.name}{label}（{who}）", source=_source(obj), source_id=obj.pk, source_url=url)


def rating_round(village, year):
    return Round.objects.filter(org=village, source=RATING_SOURCE, source_id=year).first()


@transaction.atomic
def open_rating(actor, village, year):
    """The village members' rating of the cadres stationed there this year: one round, the cadres as subjects, the
    members with an account on the roll."""
    existing = rating_round(village, year)
    if existing:
        return existing
    cadres = village.stationings.filter(state=StationState.ACTIVE).order_by("kind", "name")
    subjects = [(f"s{c.pk}", f"{c.get_kind_display()} {c.name}") for c in cadres]
    round = ballots.create_round(actor, village, title=f"{year}年度{village.name}党员评议驻村干部", source=RATING_SOURCE, source_id=year,
                                 grade_set=ballot_rules.GRADES_CADRE, subjects=subjects,
                                 source_url=reverse("assistance:assessment_list") + f"?year={year}")
    users = list(Member.objects.filter(org_path__startswith=village.path, user__isnull=False).values_list("user", flat=True))
    from grassroots.accounts.models import User

    if users:
        ballots.add_voters(actor, round, "member", users=User.objects.filter(pk__in=users))
    return round
