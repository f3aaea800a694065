"""Querysets compiled to SQL once per process, for the few queries every request runs.

Building a queryset with subqueries and compiling it can take longer than the
database takes to answer it. A `CompiledQuery` builds and compiles its queryset
the first time it runs on a database and keeps the SQL; later runs only put their
values where the queryset had a `Placeholder`. Every other value in the queryset
is fixed when it is first compiled, so it must not depend on the moment or the
request (write `Now()`, not `timezone.now()`).
"""

from collections.abc import Callable

from django.db import connections, models
from django.db.models import Expression


def db_converters(expression, connection) -> list:
    """What the ORM passes a column's values through as they come from the database
    (SQLite stores times as text and booleans as numbers; PostgreSQL needs next to none)."""
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)


def convert(value, converters: list, expression, connection):
    for converter in converters:
        value = converter(value, expression, connection)
    return value


class Placeholder(Expression):
    """A value given each time a `CompiledQuery` runs: `filter(pk=Placeholder("pk", BigIntegerField()))`."""

    def __init__(self, name: str, output_field: models.Field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self]


class CompiledQuery:
    def __init__(self, build: Callable[[], models.QuerySet]):
        self._build = build
        self._compiled: dict[str, tuple] = {}

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        queryset = self._build().using(using)
        sql, params = queryset.query.get_compiler(using).as_sql()
        # A raw query sets its extra columns as the database returns them; the ORM would
        # convert them (SQLite answers 0 or 1 for a boolean).
        conversions = []
        for name, expression in queryset.query.annotation_select.items():
            if converters := db_converters(expression, connection):
                conversions.append((name, converters, expression))
        return queryset.model, sql, params, conversions

    def run(self, using: str = "default", **values) -> list[models.Model]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        model, sql, params, conversions = compiled
        params = [values[param.name] if isinstance(param, Placeholder) else param for param in params]
        connection = connections[using]
        found = list(model._default_manager.db_manager(using).raw(sql, params))
        for instance in found:
            for name, converters, expression in conversions:
                setattr(instance, name, convert(getattr(instance, name), converters, expression, connection))
        return found
