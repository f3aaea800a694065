from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "forum.comments"
    label = "comments"

    def ready(self):
        from forum.comments import receivers  # noqa: F401  (connects the page cache's receivers)
        from forum.comments.models import Comment
        from forum.comments.views import discussion_context
        from forum.posts.pages import register_section
        from forum.posts.rendering import render_comment_body
        from forum.posts.stored_html import register_rendered_field

        register_section(
            template="comments/includes/_discussion.html",
            build_context=discussion_context,
            stylesheets=("css/comments.css",),
            scripts=("js/comments.js",),
        )
        register_rendered_field(
            name="comments", model=Comment, source_field="body", html_field="body_html", render=render_comment_body
        )
