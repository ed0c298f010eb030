"""The ballot page of a token voter: opened from a link or QR code, without login."""

from django.urls import path

from . import views

app_name = "portal_ballots"
urlpatterns = [path("<str:token>/", views.token_vote, name="vote")]
