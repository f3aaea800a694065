from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/delete/", views.account_delete, name="delete"),
    path("u/<str:username>/", views.profile, name="profile"),
]
