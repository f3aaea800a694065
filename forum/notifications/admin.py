from django.contrib import admin

from forum.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: where each email stands, and why one failed. Workers write these rows."""

    list_display = ["pk", "recipient", "is_digest", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state", "is_digest"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
