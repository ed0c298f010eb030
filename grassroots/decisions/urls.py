from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("oversight/", views.oversight, name="oversight"),
    path("disclosures/<int:pk>/opinion/", views.disclosure_opinion, name="disclosure_opinion"),
]
