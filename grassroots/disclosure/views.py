"""Placeholder pages: replaced as the app is built."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def manage_list(request):
    return render(request, "core/placeholder.html", {"title": "党务村务居务公开"})




