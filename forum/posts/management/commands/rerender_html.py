from django.core.management.base import BaseCommand, CommandError

from forum.posts.stored_html import DEFAULT_BATCH_SIZE, rendered_fields, rerender


class Command(BaseCommand):
    help = (
        "Render stored HTML again from its Markdown source, after a change to the rendering rules. "
        "Covers every registered kind of text (see forum/posts/stored_html.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=[field.name for field in rendered_fields()],
            help="Re-render only this kind of text; repeat for more.",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Rows read per query.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, only=None, batch_size=DEFAULT_BATCH_SIZE, dry_run=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verb = "would change" if dry_run else "re-rendered"
        for field in rendered_fields():
            if only and field.name not in only:
                continue
            read, changed = rerender(field, batch_size=batch_size, dry_run=dry_run)
            self.stdout.write(f"{field.name}: {changed} of {read} {verb}.")
