from django.urls import path

from forum.posts import views
from forum.posts.feeds import LatestPostsFeed

app_name = "posts"
# A post's slug can never be "new", "mine" or "feed" (see services.RESERVED_SLUGS).
urlpatterns = [
    path("new/", views.post_create, name="create"),
    path("mine/", views.my_posts, name="mine"),
    path("feed/", LatestPostsFeed(), name="feed"),
    path("category/<slug:slug>/", views.category_posts, name="category"),
    path("tag/<slug:slug>/", views.tag_posts, name="tag"),
    path("<slug:slug>/", views.post_detail, name="detail"),
    path("<slug:slug>/edit/", views.post_edit, name="edit"),
]
