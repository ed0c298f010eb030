"""Placeholder pages: replaced as the app is built."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def board(request):
    return render(request, "core/placeholder.html", {"title": "发展党员"})
