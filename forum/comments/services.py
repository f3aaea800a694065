import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from forum.comments.models import Comment, CommentLike, CommentRevision, PostLike, path_segment
from forum.comments.rules import Refusal, comment_refusal, edit_refusal
from forum.posts.models import Post


class CommentRefused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


def _lock_post(post: Post) -> Post:
    # Closing takes the same lock, so a comment either commits before the close or is refused.
    return Post.objects.select_for_update().get(pk=post.pk)


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
    comment the first submission created instead of adding another.
    """
    if submission_token:
        existing = Comment.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            return _insert_comment(
                post=post,
                author=author,
                body=body,
                parent=parent,
                guest_name=guest_name,
                guest_email=guest_email,
                submission_token=submission_token,
                created_at=created_at,
            )
    except IntegrityError:
        # Two submissions of one form raced; the other one won.
        if submission_token:
            existing = Comment.objects.filter(submission_token=submission_token).first()
            if existing:
                return existing
        raise


def _insert_comment(*, post, author, body, parent, guest_name, guest_email, submission_token, created_at) -> Comment:
    locked = _lock_post(post)
    refusal = comment_refusal(author, locked, parent=parent)
    if refusal:
        raise CommentRefused(refusal)
    comment = Comment.objects.create(
        post=locked,
        parent=parent,
        author=author if author and author.is_authenticated else None,
        guest_name=guest_name,
        guest_email=guest_email,
        body=body,
        depth=parent.depth + 1 if parent else 0,
        created_at=created_at or timezone.now(),
        submission_token=submission_token,
    )
    comment.path = (parent.path if parent else "") + path_segment(comment.pk)
    comment.root_id = parent.root_id if parent else comment.pk
    Comment.objects.filter(pk=comment.pk).update(path=comment.path, root_id=comment.root_id)
    Post.objects.filter(pk=locked.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, editor, body: str) -> Comment:
    """Replace the text, keeping the previous version for moderators."""
    locked_post = _lock_post(comment.post)
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
    comment.save(update_fields=["body", "body_html", "edited_at"])
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
    counted = comment.removed_at is None
    has_replies = Comment.objects.filter(parent=comment).exists()
    if has_replies:
        comment.revisions.all().delete()
        Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now(), body="", body_html="")
    else:
        parent_id = comment.parent_id
        comment.delete()
        _prune_empty_placeholders(parent_id)
    if counted:
        Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
    return has_replies


def _prune_empty_placeholders(parent_id: int | None) -> None:
    """A deleted comment kept only for its replies goes once its last reply goes."""
    while parent_id:
        parent = Comment.objects.filter(pk=parent_id, deleted_at__isnull=False).first()
        if parent is None or Comment.objects.filter(parent_id=parent_id).exists():
            return
        parent_id = parent.parent_id
        parent.delete()


def _toggle(model, counter_model, counter_pk: int, **lookup) -> tuple[bool, int]:
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
    return not deleted, count


def comment_like_toggle(*, comment: Comment, user) -> tuple[bool, int]:
    """Like or unlike; returns (liked now, new count)."""
    return _toggle(CommentLike, Comment, comment.pk, comment=comment, user=user)


def post_like_toggle(*, post: Post, user) -> tuple[bool, int]:
    return _toggle(PostLike, Post, post.pk, post=post, user=user)
