"""Placeholder pages: replaced as the app is built."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def matter_list(request):
    return render(request, "core/placeholder.html", {"title": "四议两公开"})


@login_required
def oversight(request):
    return render(request, "core/placeholder.html", {"title": "四议两公开监督"})


@login_required
def disclosure_opinion(request, pk):
    raise Http404  # placeholder until the decisions app is built
