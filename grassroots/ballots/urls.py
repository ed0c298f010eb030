app_name = "ballots"
urlpatterns = []
