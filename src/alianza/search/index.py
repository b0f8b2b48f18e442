"""The full-text index, per database vendor. Rows are kept in sync by database triggers, so no
service has to remember it (and bulk loads, imports and raw updates are indexed too).

SQLite: one FTS5 table `search_fts(kind, obj_id, title, body)` with the unicode61 tokenizer and
`remove_diacritics 2` ("policia" finds "Policía"), filled by triggers on each indexed table.
PostgreSQL: one table `search_document(kind, obj_id, tsv)` with a GIN index on `tsv` =
`to_tsvector('spanish', fold(title || body)) || to_tsvector('english', ...)`, filled by a
trigger on each indexed table; queries use `plainto_tsquery` (every word required, no
operators, as on SQLite) in both configurations on the folded query text. `fold` (SQL function
`search_unaccent`) removes accents and turns punctuation into spaces, so both vendors cut text
into the same words: PostgreSQL's own parser would read "111-2222" as the signed number "-2222",
which "2222" does not find (migration 0004). (Punctuation outside ASCII the parser treats as
space already.) A stored vector, not an expression index: counting a broad match then never
recomputes to_tsvector row by row (measured 10 s; see benchmarks/search_list.py).

Indexed tables (`INDEXED`): intelligence reports and tearlines (migration 0001), entities (their
neutral label and normalised selector) and mentions (the alias and label a report used for an
entity; migration 0002). An alias is indexed per mention, not per entity, so a search finds an
entity through an alias only when the reader may see the report that used it. To index another
table, add it to INDEXED with its title and body columns and write a migration that calls
`index_kinds`.
"""

from __future__ import annotations

import re

# kind -> (table, title column, body column(s) or None). Every table has an `id`.
INDEXED = {
    # A report's translation is searched with it (migration 0003).
    "report": ("intel_report", "title", ("body", "translated_title", "translated_body")),
    "tearline": ("intel_tearline", "title", "body"),
    "entity": ("intel_entity", "label", "selector"),
    "alias": ("intel_mention", "alias", "label"),
}
INITIAL_KINDS = ("report", "tearline")  # what migration 0001 indexed, and how:
INITIAL_SPECS = {
    "report": ("intel_report", "title", "body"),
    "tearline": ("intel_tearline", "title", "body"),
}
FTS_TABLE = "search_fts"
PG_TABLE = "search_document"
PG_CONFIGS = ("spanish", "english")


PG_UNACCENT = "search_unaccent"


Columns = str | tuple[str, ...] | None


def _columns(kind: str) -> tuple[str, str, Columns]:
    return INDEXED[kind]


def _names(columns: Columns) -> tuple[str, ...]:
    if columns is None:
        return ()
    return (columns,) if isinstance(columns, str) else tuple(columns)


def _sql_text(row: str, columns: Columns) -> str:
    parts = [f"coalesce({row}.{column}, '')" for column in _names(columns)]
    return " || ' ' || ".join(parts) if parts else "''"


def pg_document(row: str, kind: str = "report", spec=None) -> str:
    """The tsvector of a row's title and body (`row`: a table name, or NEW in a trigger)."""
    _table, title, body = spec or _columns(kind)
    text = f"{PG_UNACCENT}({_sql_text(row, title)} || ' ' || {_sql_text(row, body)})"
    return " || ".join(f"to_tsvector('{config}'::regconfig, {text})" for config in PG_CONFIGS)


def pg_query() -> str:
    return " || ".join(
        f"plainto_tsquery('{config}'::regconfig, {PG_UNACCENT}(%s))" for config in PG_CONFIGS
    )


def _pg_unaccent_function(connection, cursor, *, fold_punctuation: bool = True) -> None:
    """An IMMUTABLE text folder usable in an index expression: accents removed with the
    `unaccent` extension (a trusted extension since PostgreSQL 13) when it can be created (else
    search needs the accents the text has); with `fold_punctuation`, every run of punctuation
    becomes one space, as FTS5's unicode61 tokenizer splits on it (migration 0001 did not)."""
    from django.db import DatabaseError, transaction

    folded = "$1"
    try:
        with transaction.atomic(using=connection.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        folded = "public.unaccent('public.unaccent'::regdictionary, $1)"
    except DatabaseError:
        pass
    if fold_punctuation:
        folded = f"regexp_replace({folded}, '[[:punct:]]+', ' ', 'g')"
    body = f"SELECT {folded}"
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {PG_UNACCENT}(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $f$ {body} $f$"
    )


def create_fts(
    connection, kinds=INITIAL_KINDS, specs=INITIAL_SPECS, *, fold_punctuation: bool = True
) -> None:
    """Create the vendor's index structures and index the tables of `kinds` (as `specs` says;
    migration 0001 indexes the columns, and folds the text, as it did then)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "kind UNINDEXED, obj_id UNINDEXED, title, body, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )
        elif connection.vendor == "postgresql":
            _pg_unaccent_function(connection, cursor, fold_punctuation=fold_punctuation)
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (kind varchar(16) NOT NULL, "
                "obj_id bigint NOT NULL, tsv tsvector NOT NULL, PRIMARY KEY (kind, obj_id))"
            )
        for kind in kinds:
            index_table(connection, cursor, kind=kind, spec=(specs or {}).get(kind))
        if connection.vendor == "postgresql":
            pg_index_create(cursor)


def refold(connection, *, fold_punctuation: bool, specs: dict) -> None:
    """Redefine the PostgreSQL text folder and recompute every stored vector of `specs` (kind
    -> spec as in INDEXED, frozen by the calling migration) with it; the triggers call the
    folder by name, so they follow."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        _pg_unaccent_function(connection, cursor, fold_punctuation=fold_punctuation)
        for kind, spec in specs.items():
            table = spec[0]
            cursor.execute(
                f"UPDATE {PG_TABLE} SET tsv = {pg_document(table, kind, spec)} "  # noqa: S608
                f"FROM {table} WHERE {PG_TABLE}.kind = %s AND {PG_TABLE}.obj_id = {table}.id",
                [kind],
            )


def index_kinds(connection, kinds, specs=None) -> None:
    """Index more tables in the existing structures (a later migration)."""
    with connection.cursor() as cursor:
        for kind in kinds:
            index_table(connection, cursor, kind=kind, spec=(specs or {}).get(kind))


def unindex_kinds(connection, kinds) -> None:
    """Undo `index_kinds`: drop the triggers and the indexed rows of `kinds`."""
    with connection.cursor() as cursor:
        for kind in kinds:
            _drop_triggers(connection, cursor, kind)
            table = FTS_TABLE if connection.vendor == "sqlite" else PG_TABLE
            if connection.vendor in ("sqlite", "postgresql"):
                cursor.execute(f"DELETE FROM {table} WHERE kind = %s", [kind])  # noqa: S608


def index_table(connection, cursor, *, kind: str, spec=None) -> None:
    """Index the table of `kind` (see INDEXED, or `spec`): the existing rows and every change."""
    spec = spec or _columns(kind)
    table, title, body = spec
    watched = ", ".join((*_names(title), *_names(body)))
    if connection.vendor == "sqlite":
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(kind, obj_id, title, body) "  # noqa: S608 - constants only
            f"SELECT '{kind}', id, {_sql_text(table, title)}, {_sql_text(table, body)} "
            f"FROM {table}"
        )
        delete = f"DELETE FROM {FTS_TABLE} WHERE kind = '{kind}' AND obj_id = old.id;"  # noqa: S608
        insert = (
            f"INSERT INTO {FTS_TABLE}(kind, obj_id, title, body) "  # noqa: S608 - constants only
            f"VALUES ('{kind}', new.id, {_sql_text('new', title)}, {_sql_text('new', body)});"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS search_{kind}_ai AFTER INSERT ON {table} "
            f"BEGIN {insert} END"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS search_{kind}_au AFTER UPDATE OF {watched} "
            f"ON {table} BEGIN {delete} {insert} END"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS search_{kind}_ad AFTER DELETE ON {table} "
            f"BEGIN {delete} END"
        )
    elif connection.vendor == "postgresql":
        cursor.execute(
            f"INSERT INTO {PG_TABLE}(kind, obj_id, tsv) "  # noqa: S608 - constants only
            f"SELECT '{kind}', id, {pg_document(table, kind, spec)} FROM {table} "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION search_{kind}_sync() RETURNS trigger "  # noqa: S608
            "LANGUAGE plpgsql AS $f$ BEGIN "
            f"IF TG_OP = 'DELETE' THEN DELETE FROM {PG_TABLE} "
            f"WHERE kind = '{kind}' AND obj_id = OLD.id; RETURN OLD; END IF; "
            f"INSERT INTO {PG_TABLE}(kind, obj_id, tsv) VALUES ('{kind}', NEW.id, "
            f"{pg_document('NEW', kind, spec)}) "
            "ON CONFLICT (kind, obj_id) DO UPDATE SET tsv = EXCLUDED.tsv; "
            "RETURN NEW; END $f$"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS search_{kind}_sync ON {table}")
        cursor.execute(
            f"CREATE TRIGGER search_{kind}_sync AFTER INSERT OR DELETE OR UPDATE OF {watched} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION search_{kind}_sync()"
        )


def pg_index_create(cursor) -> None:
    """The GIN index on the stored vectors (after the rows, as a bulk load would do it)."""
    cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_tsv ON {PG_TABLE} USING GIN (tsv)")


def _drop_triggers(connection, cursor, kind: str) -> None:
    if connection.vendor == "sqlite":
        for suffix in ("ai", "au", "ad"):
            cursor.execute(f"DROP TRIGGER IF EXISTS search_{kind}_{suffix}")
    elif connection.vendor == "postgresql":
        cursor.execute(f"DROP TRIGGER IF EXISTS search_{kind}_sync ON {_columns(kind)[0]}")
        cursor.execute(f"DROP FUNCTION IF EXISTS search_{kind}_sync()")


def drop_fts(connection) -> None:
    with connection.cursor() as cursor:
        for kind in INITIAL_KINDS:
            _drop_triggers(connection, cursor, kind)
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {PG_UNACCENT}(text)")


# Identifiers in the SQL of this module are module constants; user text is always a parameter.
_WORD = re.compile(r"\w+", re.UNICODE)


def sqlite_match(query: str) -> str:
    """The user's words as an FTS5 expression: every word must occur (quoted, so FTS5 syntax
    in the input is only ever text). Empty when the query has no words."""
    return " ".join(f'"{word}"' for word in _WORD.findall(query))
