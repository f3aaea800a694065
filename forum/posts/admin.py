from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget

from forum.posts.forms import FeaturedImageField
from forum.posts.models import Category, Post, Tag


class PostAdminForm(forms.ModelForm):
    # The same checks as on the site: staff can upload nothing the site would refuse.
    image = FeaturedImageField(label="Featured image", required=False, widget=AdminFileWidget)

    class Meta:
        model = Post
        fields = [
            "title", "slug", "author", "body", "status", "published_at",
            "image", "image_alt", "image_caption", "categories", "tags",
        ]  # fmt: skip


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ["title", "author", "status", "published_at", "comment_count"]
    list_filter = ["status", "categories"]
    list_select_related = ["author"]
    search_fields = ["title", "body", "author__username"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["author"]
    filter_horizontal = ["categories", "tags"]
    readonly_fields = ["comment_count", "like_count", "closed_at", "close_reason", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body"]}),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Featured image", {"fields": ["image", "image_alt", "image_caption"]}),
        ("Filing", {"fields": ["categories", "tags"]}),
        ("Discussion", {"fields": ["comment_count", "like_count", "closed_at", "close_reason"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
