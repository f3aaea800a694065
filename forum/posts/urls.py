from django.urls import path

from forum.posts import views

app_name = "posts"
urlpatterns = [
    path("category/<slug:slug>/", views.category_posts, name="category"),
    path("tag/<slug:slug>/", views.tag_posts, name="tag"),
    path("<slug:slug>/", views.post_detail, name="detail"),
]
