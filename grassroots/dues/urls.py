from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.home, name="home"),
    path("org/<int:pk>/", views.summary, name="summary"),
    path("org/<int:pk>/arrears/", views.arrears, name="arrears"),
    path("branch/<int:pk>/collect/", views.collect, name="collect"),
    path("branch/<int:pk>/carry-over/", views.carry_over, name="carry_over"),
    path("branch/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("branch/<int:pk>/ledger/export.xlsx", views.ledger_export, name="ledger_export"),
    path("member/<int:pk>/declare/", views.declare, name="declare"),
    path("member/<int:pk>/relief/", views.relief_new, name="relief_new"),
    path("reliefs/", views.reliefs, name="reliefs"),
    path("reliefs/<int:pk>/decide/", views.relief_decide, name="relief_decide"),
]
