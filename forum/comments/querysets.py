from functools import cache
from operator import attrgetter

from django.core.paginator import Page, Paginator
from django.db import connections, models

from forum.comments.rows import COLUMNS as THREAD_COLUMNS
from forum.comments.rows import TOTAL_COLUMN, ThreadComment, from_tuples
from forum.compiled import CompiledQuery, Placeholder, convert, db_converters
from forum.posts.models import Post

# How top-level comments are ordered; replies always follow their parent, oldest first.
SORTS = {
    "oldest": ("pk",),
    "newest": ("-pk",),
    "liked": ("-like_count", "pk"),
}
DEFAULT_SORT = "oldest"


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Comments everyone may see: not deleted by their author, not removed, not held."""
        return self.filter(deleted_at__isnull=True, removed_at__isnull=True, held_at__isnull=True)

    def thread_page(self, post, *, sort: str = DEFAULT_SORT, number, per_page: int) -> tuple[Page, list]:
        """The page of the thread that `number` asks for, as `Paginator.get_page` reads it
        (the first for anything but a whole number, the last for one past the end or below
        1), and its rows in display order, as read-only rows (see forum.comments.rows).
        Pages count top-level comments, each shown with its whole subtree; `path` sorts a
        reply right after its parent and its earlier siblings.

        The query that reads a page also counts the thread's top-level comments, so a page
        that exists takes one query; a page past the end takes three (its rows, the count,
        the last page's rows), or two in a thread without comments; a number below 1 or
        beyond any thread takes two (the count, the rows).
        """
        connection = connections[self.db]
        statement = ThreadStatement.of(connection, sort)
        asked = _asked_page(number, per_page)
        rows = statement.rows(connection, post.pk, _roots(asked, per_page)) if asked else []
        if rows:
            total = rows[0][TOTAL_COLUMN]
        elif asked == 1:
            total = 0  # no first page: no top-level comments
        else:
            total = statement.top_level_count(connection, post.pk)
        page = Paginator(range(total), per_page).get_page(number)
        if page.number != asked and total:
            rows = statement.rows(connection, post.pk, _roots(page.number, per_page))
        return page, _in_display_order(rows, sort)

    def liked_by(self, user, *, post) -> set[int]:
        """The ids of the comments in `post`'s thread that `user` likes: one small query, whatever the page's size."""
        connection = connections[self.db]
        return ThreadStatement.of(connection, DEFAULT_SORT).liked_by(connection, post.pk, user.pk)

    def by_submission_token(self, token):
        """The comment a form with this token created, if any (see `comment_create`)."""
        return _compiled_query(self.model, "by_token").first(self.db, token=token)

    def reply_target(self, post_pk: int, pk: int):
        """Comment `pk` if it is in post `post_pk`'s thread and everyone can see it, or None."""
        return _compiled_query(self.model, "reply_target").first(self.db, post=post_pk, pk=pk)

    def locked_above(self, comment) -> list:
        """The locked comments above `comment` in its thread, from the top down (their locks
        may have lapsed: see `is_locked_at`). Locks are rare: the query finds next to nothing."""
        subtree = {"post": comment.post_id, "root": comment.root_id, "depth": comment.depth}
        found = _compiled_query(self.model, "locked_in_subtree").run(self.db, **subtree)
        # Above it: its path starts with theirs.
        return [above for above in found if comment.path.startswith(above.path)]

    def page_number_of(self, comment, *, per_page: int, sort: str = DEFAULT_SORT) -> int:
        """The page (1-based) of the thread that shows `comment`, in the default order."""
        if sort != DEFAULT_SORT:
            raise ValueError("Permalinks point into the default order.")
        earlier_roots = self.filter(post_id=comment.post_id, parent__isnull=True, pk__lt=comment.root_id).count()
        return earlier_roots // per_page + 1

    def recent_by(self, user, *, limit: int = 20):
        """A member's latest public comments on posts everyone can read, for their profile."""
        return (
            self.public()
            .filter(author=user, post__in=Post.objects.published())
            .select_related("post")
            .order_by("-created_at")[:limit]
        )


def _in_display_order(rows: list, sort: str) -> list[ThreadComment]:
    """The thread's rows wrapped (see forum.comments.rows) and sorted for display.

    Sorted here rather than by the database: it would sort whole rows, each with its
    HTML, and on a thread of thousands spill the sort to disk, while sorting the keys
    of 10,000 rows in Python takes a few milliseconds.
    """
    comments = from_tuples(rows)
    if sort == "oldest":
        # A path starts with its top-level comment's id, every id written to the same
        # width: the paths alone sort top-level comments oldest first, each before its replies.
        comments.sort(key=attrgetter("path"))
        return comments
    # "liked": the most liked top-level comments first; "newest": the latest first.
    likes = {row.pk: row.like_count for row in comments if row.parent_id is None} if sort == "liked" else {}
    direction = -1 if sort == "newest" else 1

    def display_order(comment):
        root = comment.root_id or comment.pk  # a top-level comment is its own root
        return (-likes.get(root, 0), direction * root, comment.path)

    comments.sort(key=display_order)
    return comments


def _asked_page(number, per_page: int) -> int:
    """The page `Paginator.get_page` shows for `number` if there is one: the number, 1 for
    anything but a whole number, or 0 when it must count first: for a number below 1
    (which asks for the last page), or one so large that no thread reaches it (the
    database would refuse the offset)."""
    try:
        asked = int(number)
    except (TypeError, ValueError):
        return 1
    return asked if 0 < asked <= _FARTHEST_OFFSET // per_page else 0


_FARTHEST_OFFSET = 2**31  # top-level comments: far past any thread, far within any database's integers


def _roots(number: int, per_page: int) -> slice:
    """The positions of page `number`'s top-level comments in the sort order."""
    return slice((number - 1) * per_page, number * per_page)


class PostLikeQuerySet(models.QuerySet):
    def liked(self, user, post) -> bool:
        """Whether `user` likes `post`: asked by the post page for every signed-in reader."""
        found = _compiled_query(self.model, "liked").first(self.db, user=user.pk, post=post.pk)
        return found is not None


@cache
def _compiled_query(model, name: str) -> CompiledQuery:
    """The queries that every comment posted, or every post page a member reads, runs:
    compiled once (see forum.compiled). `model` is Comment, or PostLike for "liked"."""

    def number(name: str) -> Placeholder:
        return Placeholder(name, models.BigIntegerField())

    rows = model._default_manager.order_by()
    build = {
        "by_token": lambda: rows.filter(submission_token=Placeholder("token", models.UUIDField()))[:1],
        "reply_target": lambda: rows.public().filter(post_id=number("post"), pk=number("pk"))[:1],
        "locked_in_subtree": lambda: rows.filter(
            post_id=number("post"), root_id=number("root"), depth__lt=number("depth"), locked_at__isnull=False
        ).order_by("path"),
        "liked": lambda: rows.filter(user_id=number("user"), post_id=number("post")).only("pk")[:1],
    }[name]
    return CompiledQuery(build)


class ThreadStatement:
    """The thread page's queries as SQL, written once per database and sort.

    The main one reads `THREAD_COLUMNS` of the comments in the subtrees of one page of
    a post's top-level comments, with their authors, and the count of the thread's
    top-level comments; the others count those alone and find the
    reader's likes. Values come back as the ORM would give them: each column passes
    through its field's converters (forum.compiled).
    """

    _made: dict[tuple[str, str], "ThreadStatement"] = {}

    def __init__(self, connection, sort: str):
        from forum.comments.models import Comment

        quote = connection.ops.quote_name
        comments = Comment._meta
        authors = comments.get_field("author").related_model._meta

        def field_of(name: str):
            if name.startswith("author__"):
                return authors.get_field(name.removeprefix("author__"))
            return comments.pk if name == "pk" else comments.get_field(name)

        def column(alias: str, name: str) -> str:
            return f"{alias}.{quote(field_of(name).column)}"

        fields = [field_of(name) for name in THREAD_COLUMNS]
        selected = ", ".join(
            f"{'a' if field.model._meta is authors else 'c'}.{quote(field.column)}" for field in fields
        )
        order = ", ".join(
            column("r", name.lstrip("-")) + (" DESC" if name.startswith("-") else "") for name in SORTS[sort]
        )
        table, pk = quote(comments.db_table), quote(comments.pk.column)
        top_level = f"{column('t', 'post')} = {{post:d}} AND {column('t', 'parent')} IS NULL"
        self.count_sql = f"SELECT COUNT(*) FROM {table} t WHERE {top_level}"
        # Every row also carries the thread's count of top-level comments (TOTAL_COLUMN),
        # which the database works out once per query: a page needs no query of its own to count.
        self.page_sql = (
            f"SELECT {selected}, ({self.count_sql}) FROM {table} c"
            f" LEFT OUTER JOIN {quote(authors.db_table)} a ON a.{quote(authors.pk.column)} = {column('c', 'author')}"
            f" WHERE {column('c', 'post')} = {{post:d}} AND {column('c', 'root')} IN (SELECT r.{pk} FROM {table} r"
            f" WHERE {column('r', 'post')} = {{post:d}} AND {column('r', 'parent')} IS NULL"
            f" ORDER BY {order} LIMIT {{limit:d}} OFFSET {{offset:d}})"
        )
        likes = comments.get_field("likes").related_model._meta
        liked, liker = quote(likes.get_field("comment").column), quote(likes.get_field("user").column)
        self.liked_sql = (
            f"SELECT l.{liked} FROM {quote(likes.db_table)} l JOIN {table} c ON c.{pk} = l.{liked}"
            f" WHERE l.{liker} = %s AND {column('c', 'post')} = {{post:d}}"
        )
        # PostgreSQL sends the rows' numbers and times in binary: several times cheaper
        # for both sides than writing and parsing them as text (the HTML is text either way).
        self.result_format = None
        if connection.vendor == "postgresql":
            from psycopg.pq import Format

            self.result_format = Format.BINARY
        self.converters = []
        for index, field in enumerate(fields):
            expression = field.get_col("c")
            if converters := db_converters(expression, connection):
                self.converters.append((index, converters, expression))

    @classmethod
    def of(cls, connection, sort: str) -> "ThreadStatement":
        key = (connection.alias, sort)
        statement = cls._made.get(key)
        if statement is None:
            statement = cls._made[key] = cls(connection, sort)
        return statement

    # The post (and the page) are written into these queries' text, not passed as
    # parameters: a prepared query with a parameter for the post is planned for an
    # average thread, which PostgreSQL judges worse than planning anew, and so it plans
    # every run (up to a millisecond, more than running it). As text, a thread read
    # again and again is planned once per connection. They are integers: nothing to escape.

    def top_level_count(self, connection, post_pk: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql.format(post=post_pk))
            return cursor.fetchone()[0]

    def liked_by(self, connection, post_pk: int, user_pk: int) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.liked_sql.format(post=post_pk), [user_pk])
            return {comment_pk for (comment_pk,) in cursor.fetchall()}

    def rows(self, connection, post_pk: int, roots: slice) -> list:
        """The rows of the subtrees of the top-level comments at positions `roots`."""
        sql = self.page_sql.format(post=post_pk, limit=roots.stop - roots.start, offset=roots.start)
        with connection.cursor() as cursor:
            if self.result_format is not None:
                cursor.cursor.format = self.result_format
            cursor.execute(sql)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for index, converters, expression in self.converters:
                row[index] = convert(row[index], converters, expression, connection)
            converted.append(row)
        return converted
