"""Placeholder pages: replaced as the app is built."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def transfer_list(request):
    return render(request, "core/placeholder.html", {"title": "组织关系转接"})


@login_required
def floating_list(request):
    return render(request, "core/placeholder.html", {"title": "流动党员与失联党员"})
