"""The organization a page works on when the URL names none: the user's current scope."""

from django.http import Http404

from grassroots.core import scoping

from .models import Organization


def scope_org(request):
    """The organization of the user's current scope (the top bar), or their first readable root."""
    chosen = scoping.current_scope(request)
    if chosen is not None:
        return chosen.org
    org = Organization.objects.scope_roots(request.user).first()
    if org is None:
        raise Http404("没有可查看的党组织")
    return org
