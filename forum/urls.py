from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from forum import views
from forum.posts import views as post_views

urlpatterns = [
    path("", post_views.post_list, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", include("forum.comments.urls")),
    path("posts/", include("forum.posts.urls")),
    path("moderation/", include("forum.moderation.urls")),
    path("notifications/", include("forum.notifications.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
