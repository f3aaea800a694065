import time

from django.core.management.base import BaseCommand

from forum.notifications import periodic


class Command(BaseCommand):
    help = (
        "Notify followers of discussions closing within 48 hours, send daily digests that are due, "
        "and queue again emails whose worker died. Run it every few minutes (cron, a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="Keep running, one pass every SECONDS (for development)."
        )

    def handle(self, *args, every=None, **options):
        while True:
            done = periodic.run()
            if options["verbosity"] > 0:
                self.stdout.write(", ".join(f"{name.replace('_', ' ')}: {count}" for name, count in done.items()))
            if not every:
                return
            time.sleep(every)
