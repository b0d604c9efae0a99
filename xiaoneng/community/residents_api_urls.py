from django.urls import path

from xiaoneng.community.residents_api import JoinView

urlpatterns = [
    path("join/", JoinView.as_view(), name="api-join"),  # public: no login
]
