"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section


def is_voter(user):
    """On the roll of a round that has opened (one EXISTS query), or an appraisal representative."""
    from .models import Round

    return scoping.everyone(user) and (scoping.is_representative(user) or Round.objects.for_voter(user).exists())


ITEMS = [
    MenuItem("我的评议", "ballots:mine", Section.OVERSIGHT, show=is_voter, active_on=("ballots:mine", "ballots:vote"), order=7),
    MenuItem("评议与表决", "ballots:rounds", Section.OVERSIGHT, show=scoping.reads_records,
             active_on=("ballots:rounds", "ballots:round*", "ballots:voters_add", "ballots:paper", "ballots:export"), order=8),
]
