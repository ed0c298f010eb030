"""What decisions adds to a disclosure's public page (grassroots/disclosure/public_views.py reads this module through
the app registry): the supervisory committee's opinions and objections on it."""

from .public import opinions_for_disclosure


def for_disclosure(disclosure):
    return {"opinions": opinions_for_disclosure(disclosure)}
