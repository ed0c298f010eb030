app_name = "orglife"
urlpatterns = []
