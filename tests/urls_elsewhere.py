"""Routes for a test that swaps the site's URL configuration."""

from django.urls import include, path

from forum.posts import views

posts = ([path("<slug:slug>/", views.post_detail, name="detail")], "posts")
urlpatterns = [path("elsewhere/", include(posts))]
