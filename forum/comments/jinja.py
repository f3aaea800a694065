"""What the post page's Jinja2 templates (templates/jinja2/comments/) call from this app."""

from jinja2 import pass_context
from markupsafe import Markup

from forum.comments.render import ThreadRenderer
from forum.posts.fragments import set_aside


def _fragment(context, name: str) -> str:
    # Rendered with the page's own context, as an include would be: the reply form
    # after a failed POST carries its errors and the writer's text.
    return context.environment.get_template(name).render(context.get_all())


@pass_context
def comment_thread(context) -> Markup:
    """The page's comments as nested lists, written in one pass (see forum.comments.render)."""
    request, thread_url = context["request"], context["thread_url"]
    renderer = ThreadRenderer(
        user=context["user"],
        is_moderator=context["is_moderator"],
        # A failed POST shows the page at the form's address: reply links must name the thread's.
        reply_base="" if request.method == "GET" and request.path == thread_url else thread_url,
        page_number=context["comment_page"].number,
        max_display_depth=context["max_display_depth"],
    )
    before, after = {}, {}
    if context["help_inline"]:
        before[context["help_for"]] = _fragment(context, "comments/includes/_help_panel.html")
    if context["reply_to_id"]:
        after[context["reply_to_id"]] = _fragment(context, "comments/includes/_comment_form.html")
    comments = context["comments"]
    html = renderer.thread(comments, before=before, after=after)
    # Nothing below the thread reads the rows: on a page of thousands they are most of
    # the worker's memory, so let them go before the page is joined and encoded.
    comments.clear()
    # Spliced into the page's bytes by the view, rather than joined and copied by every
    # template level around it (see forum.posts.fragments).
    return Markup(set_aside(request, html))  # each value escaped as it was written in
