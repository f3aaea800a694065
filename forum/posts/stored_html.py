"""HTML stored beside its Markdown source, and rendering it all again.

Rendered HTML is saved with the text, so a change to the rendering rules reaches old
text only when it is rendered again. Each app that stores such HTML registers the
field here from its AppConfig.ready(), and `manage.py rerender_html` covers it,
without posts importing that app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class RenderedField:
    name: str  # what `rerender_html --only` takes, e.g. "posts"
    model: type[models.Model]
    source_field: str
    html_field: str
    render: Callable[[str], str]


_registry: dict[str, RenderedField] = {}


def register_rendered_field(
    *, name: str, model: type[models.Model], source_field: str, html_field: str, render: Callable[[str], str]
) -> None:
    _registry[name] = RenderedField(name, model, source_field, html_field, render)


def rendered_fields() -> list[RenderedField]:
    return list(_registry.values())


def rerender(field: RenderedField, *, batch_size: int = DEFAULT_BATCH_SIZE, dry_run: bool = False) -> tuple[int, int]:
    """Render every row's HTML again, writing only the rows that change, one UPDATE per batch.

    Returns (rows read, rows changed). Rows are walked by primary key, so rows added
    meanwhile are picked up and no batch is read twice.
    """
    manager = field.model._base_manager
    rows = manager.only("pk", field.source_field, field.html_field).order_by("pk")
    read = changed = 0
    last_pk = None
    while True:
        batch = list((rows if last_pk is None else rows.filter(pk__gt=last_pk))[:batch_size])
        if not batch:
            return read, changed
        stale = []
        for row in batch:
            html = field.render(getattr(row, field.source_field))
            if html != getattr(row, field.html_field):
                setattr(row, field.html_field, html)
                stale.append(row)
        if stale and not dry_run:
            # bulk_update writes the one column and leaves save() out, so updated_at keeps its meaning.
            manager.bulk_update(stale, [field.html_field])
        read += len(batch)
        changed += len(stale)
        last_pk = batch[-1].pk
