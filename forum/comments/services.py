import uuid

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from forum.comments import policies
from forum.comments.models import Comment, CommentLike, CommentRevision, PostLike, path_segment
from forum.comments.rules import Refusal, edit_refusal, write_refusal
from forum.comments.signals import comment_published
from forum.compiled import CompiledInsert, CompiledQuery, CompiledUpdate, Placeholder
from forum.posts import page_cache
from forum.posts.closing import refresh_discussion_state
from forum.posts.models import Post
from forum.posts.rendering import render_comment_body


class CommentRefused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


# What a comment write decides on and may have changed since the page read the post:
# locking reads these again instead of the whole row (the body can be long).
DISCUSSION_FIELDS = (
    "status",
    "published_at",
    "last_comment_at",
    "closed_at",
    "close_reason",
    "reopens_at",
    "close_links",
    "auto_close_exempt",
    "slow_mode_seconds",
    "hold_all_comments",
)
NEXT_COMMENT_ID = "next_comment_id"
SUBMITTED_COMMENT_ID = "submitted_comment_id"


def _lock_post(post: Post, *, new_comment: bool = False, submission_token: uuid.UUID | None = None) -> Post:
    """Lock the post's row and bring `post`'s discussion state up to date; returns `post`.

    With `new_comment`, the same query also finds the comment that an earlier submission
    of the form with `submission_token` created (its id as `post.submitted_comment_id`,
    None if there is none) and, where the database has a sequence, takes the next comment
    id (`post.next_comment_id`, None elsewhere).
    """
    # Closing takes the same lock, so a comment either commits before the close or is refused.
    if new_comment:
        query = FOR_NEW_COMMENT_RESERVING_ID if connection.vendor == "postgresql" else FOR_NEW_COMMENT
        [current] = query.run(connection.alias, pk=post.pk, token=submission_token)
        post.submitted_comment_id = getattr(current, SUBMITTED_COMMENT_ID)
        post.next_comment_id = getattr(current, NEXT_COMMENT_ID, None)
    else:
        [current] = LOCK.run(connection.alias, pk=post.pk)
    for field in DISCUSSION_FIELDS:
        setattr(post, field, getattr(current, field))
    return post


def _locking_query(*, new_comment: bool = False, reserve_comment_id: bool = False):
    def build():
        locked = Post.objects.select_for_update().filter(pk=Placeholder("pk", models.BigIntegerField()))
        if new_comment:
            token = Placeholder("token", models.UUIDField(null=True))
            submitted = Comment.objects.filter(submission_token=token).values("pk")[:1]
            locked = locked.annotate(**{SUBMITTED_COMMENT_ID: Subquery(submitted)})
        if reserve_comment_id:
            sequence = RawSQL("nextval(pg_get_serial_sequence(%s, 'id'))", (Comment._meta.db_table,))
            locked = locked.annotate(**{NEXT_COMMENT_ID: sequence})
        return locked.only(*DISCUSSION_FIELDS).order_by()

    # Every comment written runs one: compiled once (forum.compiled).
    return CompiledQuery(build)


LOCK = _locking_query()
FOR_NEW_COMMENT = _locking_query(new_comment=True)
FOR_NEW_COMMENT_RESERVING_ID = _locking_query(new_comment=True, reserve_comment_id=True)  # PostgreSQL's


def comment_create(
    *,
    post: Post,
    author,
    body: str,
    parent: Comment | None = None,
    guest_name: str = "",
    guest_email: str = "",
    submission_token: uuid.UUID | None = None,
    created_at=None,
) -> Comment:
    """Check the rules, insert the comment, derive its place in the tree and count it.

    A repeated `submission_token` (double click, resubmitted form) returns the
    comment the first submission created instead of adding another, before any rule
    that would now refuse it (slow mode, a discussion closed since).
    """
    # Record what timers and the closing policy decided by now, in a transaction of its
    # own, so that refusing this comment does not roll back an automatic close.
    refresh_discussion_state(post)
    # The HTML depends on the text alone: made before the post's row is locked, not while
    # other comments on it wait.
    body_html = render_comment_body(body)
    try:
        with transaction.atomic():
            return _insert_comment(
                post=post,
                author=author,
                body=body,
                body_html=body_html,
                parent=parent,
                guest_name=guest_name,
                guest_email=guest_email,
                submission_token=submission_token,
                created_at=created_at,
            )
    except IntegrityError:
        # Two submissions of one form raced; the other one won.
        if submission_token:
            existing = Comment.objects.by_submission_token(submission_token)
            if existing:
                return existing
        raise


def _insert_comment(
    *, post, author, body, body_html, parent, guest_name, guest_email, submission_token, created_at
) -> Comment:
    locked = refresh_discussion_state(_lock_post(post, new_comment=True, submission_token=submission_token))
    if locked.submitted_comment_id is not None:
        existing = Comment.objects.by_submission_token(submission_token)
        if existing:
            return existing
    locks_above = Comment.objects.locked_above(parent) if parent else []
    refusal = write_refusal(author, locked, parent=parent, ancestors=locks_above)
    if refusal:
        raise CommentRefused(refusal)
    member = author if author and author.is_authenticated else None
    verdict = policies.judge(policies.Submission(post=locked, author=member, body=body, parent=parent))
    if verdict.rejected:
        raise CommentRefused(Refusal("rejected", verdict.rejected.reason))
    now = created_at or timezone.now()
    # With the id known before the insert, the path and root go in with the row;
    # otherwise they follow in an update once the database has chosen the id.
    pk = locked.next_comment_id
    comment = Comment(
        pk=pk,
        path=_path(parent, pk) if pk else "",
        root_id=_root_id(parent, pk),
        post=locked,
        parent=parent,
        author=member,
        guest_name=guest_name,
        guest_email=guest_email,
        body=body,
        body_html=body_html,
        depth=parent.depth + 1 if parent else 0,
        created_at=now,
        submission_token=submission_token,
        held_at=now if verdict.held else None,
        hold_reason=" ".join(verdict.reasons)[:200],  # each reason is a sentence
        is_urgent=verdict.urgent,
    )
    INSERT.run(comment, using=connection.alias)
    if pk is None:
        comment.path = _path(parent, comment.pk)
        comment.root_id = _root_id(parent, comment.pk)
        Comment.objects.filter(pk=comment.pk).update(path=comment.path, root_id=comment.root_id)
    if not verdict.held:
        count_in(locked.pk, at=now)
        announce_published(comment)
    return comment


# Every comment written is one: its INSERT is written once (forum.compiled); the body's
# HTML, which Comment.save() would render, is already in the instance.
INSERT = CompiledInsert(Comment)


def _path(parent: Comment | None, pk: int) -> str:
    return (parent.path if parent else "") + path_segment(pk)


def _root_id(parent: Comment | None, pk: int | None) -> int | None:
    return parent.root_id if parent else pk


def announce_published(comment: Comment) -> None:
    """Tell listeners, once the transaction has committed, that everyone can now read `comment`."""
    transaction.on_commit(lambda: comment_published.send(sender=Comment, comment=comment))


def count_in(post_pk: int, *, at) -> None:
    """A comment became visible to everyone: count it and note the time.

    `at` may be in the past (a restored comment keeps its own time), so the latest time wins.
    """
    COUNT_IN.run(connection.alias, pk=post_pk, at=at)


def _counting_in():
    at = Placeholder("at", models.DateTimeField())
    latest = Coalesce(Greatest(F("last_comment_at"), at), at)  # Greatest is NULL on SQLite if any is
    post = Post.objects.filter(pk=Placeholder("pk", models.BigIntegerField()))
    return post, {"comment_count": F("comment_count") + 1, "last_comment_at": latest}


# Every comment published runs it: compiled once (forum.compiled).
COUNT_IN = CompiledUpdate(_counting_in)


def count_out(post_pk: int) -> None:
    """A counted comment stopped being visible to everyone."""
    Post.objects.filter(pk=post_pk).update(comment_count=F("comment_count") - 1)


@transaction.atomic
def comment_edit(*, comment: Comment, editor, body: str) -> Comment:
    """Replace the text, keeping the previous version for moderators."""
    locked_post = refresh_discussion_state(_lock_post(comment.post))
    comment = Comment.objects.select_for_update(of=("self",)).select_related("author", "parent").get(pk=comment.pk)
    comment.post = locked_post
    refusal = edit_refusal(editor, comment)
    if refusal:
        raise CommentRefused(refusal)
    if body == comment.body:
        return comment
    now = timezone.now()
    CommentRevision.objects.create(
        comment=comment, body=comment.body, created_at=comment.edited_at or comment.created_at, replaced_by=editor
    )
    comment.body = body
    comment.edited_at = now
    comment.edited_by_moderator = editor.pk != comment.author_id
    comment.save(update_fields=["body", "body_html", "edited_at", "edited_by_moderator"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> bool:
    """Delete a member's own comment. Returns True when a placeholder keeps its place.

    With replies, the row stays as "This comment was deleted." so the replies keep
    their context; its text and history are erased. Without replies, it goes.
    """
    Post.objects.select_for_update().filter(pk=comment.post_id).first()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at:
        return True
    counted = comment.is_visible
    has_replies = Comment.objects.filter(parent=comment).exists()
    if has_replies:
        comment.revisions.all().delete()
        Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now(), body="", body_html="")
        page_cache.bump(comment.post_id)
    else:
        parent_id = comment.parent_id
        comment.delete()
        _prune_empty_placeholders(parent_id)
    if counted:
        count_out(comment.post_id)
    return has_replies


def _prune_empty_placeholders(parent_id: int | None) -> None:
    """A deleted comment kept only for its replies goes once its last reply goes."""
    while parent_id:
        parent = Comment.objects.filter(pk=parent_id, deleted_at__isnull=False).first()
        if parent is None or Comment.objects.filter(parent_id=parent_id).exists():
            return
        parent_id = parent.parent_id
        parent.delete()


def _toggle(model, counter_model, counter_pk: int, *, post_id: int, **lookup) -> tuple[bool, int]:
    with transaction.atomic():
        deleted, _ = model.objects.filter(**lookup).delete()
        if deleted:
            counter_model.objects.filter(pk=counter_pk).update(like_count=F("like_count") - 1)
        else:
            try:
                with transaction.atomic():
                    model.objects.create(**lookup)
            except IntegrityError:
                # A simultaneous click already liked it; the like stands.
                pass
            else:
                counter_model.objects.filter(pk=counter_pk).update(like_count=F("like_count") + 1)
        count = counter_model.objects.values_list("like_count", flat=True).get(pk=counter_pk)
        page_cache.bump(post_id)
    return not deleted, count


def comment_like_toggle(*, comment: Comment, user) -> tuple[bool, int]:
    """Like or unlike; returns (liked now, new count)."""
    return _toggle(CommentLike, Comment, comment.pk, post_id=comment.post_id, comment=comment, user=user)


def post_like_toggle(*, post: Post, user) -> tuple[bool, int]:
    return _toggle(PostLike, Post, post.pk, post_id=post.pk, post=post, user=user)
