"""The public portal: no login, no JavaScript needed, only published items and visible questions."""

from django.http import Http404
from django.shortcuts import render


def index(request):
    return render(request, "public/placeholder.html", {"title": "公开栏"})


def _todo(request, *args, **kwargs):
    raise Http404("建设中")


org_page = item = ask = verify = qr_svg = notice = table_xlsx = attachment = _todo
