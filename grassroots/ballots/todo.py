"""This app's line in the home page's to-do panel (grassroots/core/todos.py): rounds I may vote in and have not."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from grassroots.core.todos import Todo

from .choices import RoundState
from .models import Voter


def lines(user, org, today):
    """Counted for the user wherever the round is held: a voter's ballot is theirs, not the scope's."""
    now = timezone.now()
    pending = Voter.objects.filter(user=user, voted_at__isnull=True, round__state=RoundState.OPEN).filter(
        Q(round__opens_at__isnull=True) | Q(round__opens_at__lte=now)).filter(Q(round__closes_at__isnull=True) | Q(round__closes_at__gt=now))
    return [Todo("评议与表决", "待我投票的评议", pending.count(), reverse("ballots:mine"))]
