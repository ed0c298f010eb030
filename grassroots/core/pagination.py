from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page=None, *, count=None):
    """A page of `queryset` for ?page=N; bad page numbers give the nearest valid page. `count`, when the caller
    knows it exactly (kept summary figures), saves counting the rows."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    if count is not None:
        paginator.count = count  # (a cached property: the value given stands in for the COUNT query)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
