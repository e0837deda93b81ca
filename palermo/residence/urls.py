app_name = "residence"
urlpatterns: list = []
