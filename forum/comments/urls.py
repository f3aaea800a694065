from django.urls import path

from forum.comments import views

app_name = "comments"
urlpatterns = [
    path("posts/<slug:slug>/comment/", views.comment_create, name="create"),
    path("posts/<slug:slug>/like/", views.post_like, name="post-like"),
    path("posts/<slug:slug>/comments/feed/", views.PostCommentsFeed(), name="feed"),
    path("comments/like/", views.comment_like, name="like"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="delete"),
]
