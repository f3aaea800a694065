"""Querysets compiled to SQL once per process, for the few queries every request runs.

Building a queryset with subqueries and compiling it can take longer than the
database takes to answer it. A `CompiledQuery` (or, for an UPDATE, a `CompiledUpdate`)
builds and compiles its queryset the first time it runs on a database and keeps the
SQL; later runs only put their values where the queryset had a `Placeholder`. Every
other value in the queryset is fixed when it is first compiled, so it must not depend
on the moment or the request (write `Now()`, not `timezone.now()`). A `CompiledInsert`
writes the INSERT of a model's new rows once in the same way.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models
from django.db.models import Expression, signals
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery


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
    """A queryset built and compiled once per database; each `run` fills in its
    placeholders and returns model instances as the queryset would, with the related
    objects of `select_related` and the annotations, converted as the ORM converts them.
    """

    def __init__(self, build: Callable[[], models.QuerySet]):
        self._build = build
        self._compiled: dict[str, _Compiled] = {}

    def run(self, using: str = "default", **values) -> list[models.Model]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = _Compiled(self._build().using(using))
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, _filled_in(compiled.params, values, connection))
            rows = cursor.fetchall()
        return compiled.instances(rows) if rows else []

    def first(self, using: str = "default", **values) -> models.Model | None:
        """The first instance `run` returns, or None."""
        found = self.run(using, **values)
        return found[0] if found else None


class _Compiled:
    """What the ORM works out for a queryset before and after running it, kept to be reused.

    The compiler's SQL, its columns and their converters depend on the queryset alone;
    turning rows into instances follows what Django's own model iterable does with them.
    """

    def __init__(self, queryset: models.QuerySet):
        self.using = queryset.db
        self.compiler = queryset.query.get_compiler(self.using)
        self.sql, self.params = self.compiler.as_sql()  # also fills in select and klass_info
        select, klass_info = self.compiler.select, self.compiler.klass_info
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.own = slice(fields[0], fields[-1] + 1)
        self.field_names = [column[0].target.attname for column in select[self.own]]
        self.fetch_mode = queryset._fetch_mode
        self.related = get_related_populators(klass_info, select, self.using, self.fetch_mode)
        self.annotations = list(self.compiler.annotation_col_map.items())
        # What results_iter would work out again on every run.
        columns = [column[0] for column in select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(columns)
        self.composite = self.compiler.has_composite_fields(columns)

    def instances(self, rows: list) -> list[models.Model]:
        if self.composite:
            rows = self.compiler.results_iter(results=[rows])
        elif self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found = []
        for row in rows:
            instance = self.model.from_db(self.using, self.field_names, row[self.own], fetch_mode=self.fetch_mode)
            for populator in self.related:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


class CompiledUpdate:
    """An UPDATE built and compiled once per database, like `CompiledQuery`: `build`
    returns the queryset whose rows change and the new values by field name (expressions
    and `Placeholder`s allowed); each `run` fills in the placeholders and returns the
    number of rows changed."""

    def __init__(self, build: Callable[[], tuple[models.QuerySet, dict]]):
        self._build = build
        self._compiled: dict[str, tuple[str, list]] = {}

    def run(self, using: str = "default", **values) -> int:
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset, changes = self._build()
            query = queryset.using(using).query.chain(UpdateQuery)
            query.add_update_values(changes)
            compiled = self._compiled[using] = query.get_compiler(using).as_sql()
        sql, params = compiled
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, _filled_in(params, values, connection))
            return cursor.rowcount


class CompiledInsert:
    """Saves a new instance of `model` as `save()` would, with the INSERT written once per
    database (and per whether the instance brings its own primary key, as one taken from a
    sequence beforehand does) instead of being worked out again for every row.

    Each field's value goes through its `pre_save` and `get_db_prep_save`, as the ORM's
    own insert does; the instance gets its key and is marked saved; `pre_save` and
    `post_save` are sent. The model's own `save()` is not called: whatever it adds must be
    done before `run`. Models with columns the database fills in (`db_default`,
    `GeneratedField`) are not supported.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        self._compiled: dict[tuple[str, bool], tuple[list[models.Field], str]] = {}

    def _compile(self, connection, with_pk: bool) -> tuple[list[models.Field], str]:
        meta = self.model._meta
        if [field for field in meta.db_returning_fields if not field.primary_key] or [
            field for field in meta.local_concrete_fields if field.generated
        ]:
            raise ImproperlyConfigured(f"{meta.label} has columns the database fills in; save it with save().")
        fields = [field for field in meta.local_concrete_fields if with_pk or field is not meta.auto_field]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(meta.db_table), ", ".join(quote(field.column) for field in fields), ", ".join(["%s"] * len(fields))
        )
        if not with_pk and connection.features.can_return_columns_from_insert:
            returning, _ = connection.ops.returning_columns([meta.pk])
            sql = f"{sql} {returning}"
        return fields, sql

    def run(self, instance: models.Model, using: str = "default") -> models.Model:
        model, meta = self.model, self.model._meta
        with_pk = instance.pk is not None
        compiled = self._compiled.get((using, with_pk))
        connection = connections[using]
        if compiled is None:
            compiled = self._compiled[using, with_pk] = self._compile(connection, with_pk)
        fields, sql = compiled
        signals.pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
        params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if not with_pk:
                if connection.features.can_return_columns_from_insert:
                    [[pk]] = cursor.fetchall()
                else:
                    pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
                column = meta.pk.get_col(meta.db_table)
                instance.pk = convert(pk, db_converters(column, connection), column, connection)
        instance._state.adding = False
        instance._state.db = using
        signals.post_save.send(
            sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
        )
        return instance


def _filled_in(params: list, values: dict, connection) -> list:
    """`params` with each `Placeholder` replaced by its value, prepared as the ORM prepares
    a value for its field (a UUID or a moment becomes text on SQLite)."""
    return [
        param.output_field.get_db_prep_value(values[param.name], connection)
        if isinstance(param, Placeholder)
        else param
        for param in params
    ]
