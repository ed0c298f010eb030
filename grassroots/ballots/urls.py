from django.urls import path

from . import views

app_name = "ballots"
urlpatterns = [
    path("", views.my_rounds, name="mine"),
    path("rounds/", views.round_list, name="rounds"),
    path("round/<int:pk>/", views.round_detail, name="round"),
    path("round/<int:pk>/act/", views.round_act, name="round_act"),
    path("round/<int:pk>/voters/", views.voters_add, name="voters_add"),
    path("round/<int:pk>/paper/", views.paper_counts, name="paper"),
    path("round/<int:pk>/export/", views.round_export, name="export"),
    path("round/<int:pk>/vote/", views.vote, name="vote"),
]
