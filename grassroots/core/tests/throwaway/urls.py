from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

app_name = "throwaway"


def index(request):
    return render(request, "base.html", {})


def plain(request):
    return HttpResponse("ok")


urlpatterns = [path("", index, name="index"), path("plain/", plain, name="plain")]
