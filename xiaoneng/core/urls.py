from django.urls import path

from xiaoneng.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("trash/", views.trash, name="trash"),
    path("trash/<str:label>/<id:pk>/restore/", views.restore, name="restore"),
    path("healthz", views.healthz, name="healthz"),
]
