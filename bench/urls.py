from django.urls import path

from bench import views
from forum.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/floor/short", views.floor_short, name="bench-floor-short"),
    path("bench/floor/query", views.floor_query, name="bench-floor-query"),
    *site_urlpatterns,
]
