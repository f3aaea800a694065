from forum.moderation.views import closing, members, queue

app_name = "moderation"
# Each area keeps its routes beside its views.
urlpatterns = [*closing.urlpatterns, *queue.urlpatterns, *members.urlpatterns]
