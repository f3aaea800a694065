from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "forum.posts"
    label = "posts"

    def ready(self):
        from forum.posts import receivers  # noqa: F401  (connects the page cache's receivers)
        from forum.posts.models import Post
        from forum.posts.rendering import render_post_body
        from forum.posts.stored_html import register_rendered_field

        register_rendered_field(
            name="posts", model=Post, source_field="body", html_field="body_html", render=render_post_body
        )
