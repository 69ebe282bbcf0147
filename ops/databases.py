"""Dump and restore the database of one Django connection: SQLite or PostgreSQL.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot while
the application keeps running; rows are counted in the copy. Restoring copies the file back
through the same API, which replaces the target database as a whole, under its write lock.

PostgreSQL: `pg_dump --format=custom` under a snapshot exported by a REPEATABLE READ
transaction, in which the rows are counted too, so the counts are those of the dump even while
the application writes. Restoring turns the dump into SQL (`pg_restore --file`) and runs it
with `psql --single-transaction` after dropping and recreating the `public` schema: all of it
or nothing.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

# Tables `manage.py migrate` fills by itself: rows there do not make a database "in use".
MIGRATE_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class DatabaseError(Exception):
    """Raise when the database cannot be dumped or restored (tool missing, tool failed)."""


@dataclass
class Dumped:
    file: Path
    counts: dict[str, int]
    info: dict[str, Any]


def engine(alias: str = DEFAULT_DB_ALIAS) -> str:
    """Return "sqlite" or "postgresql" for the connection, or raise DatabaseError."""
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise DatabaseError(f"backups of {vendor} databases are not supported")
    return vendor


def _count(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = int(cursor.fetchone()[0])
    return counts


def table_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Count the rows of every table of the connection's database."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor)
        return _count(cursor, tables, conn.ops.quote_name)


def in_use(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Return the tables holding rows other than the ones `migrate` writes by itself."""
    if engine(alias) == "sqlite" and not _sqlite_exists(connections[alias]):
        return []
    return [t for t, n in table_counts(alias).items() if n and t not in MIGRATE_TABLES]


def _sqlite_exists(conn: BaseDatabaseWrapper) -> bool:
    name = str(conn.settings_dict["NAME"])
    return name == ":memory:" or (Path(name).exists() and Path(name).stat().st_size > 0)


def dump(dest: Path, alias: str = DEFAULT_DB_ALIAS) -> Dumped:
    """Write a consistent copy of the database into directory `dest`."""
    if engine(alias) == "sqlite":
        return _sqlite_dump(dest, connections[alias])
    return _pg_dump(dest, alias)


def restore(file: Path, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the whole database with the dump in `file` (the caller checked emptiness)."""
    conn = connections[alias]
    conn.close()
    if engine(alias) == "sqlite":
        _sqlite_restore(file, conn)
    else:
        _pg_restore(file, conn)
    conn.close()


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def _sqlite_dump(dest: Path, conn: BaseDatabaseWrapper) -> Dumped:
    name = str(conn.settings_dict["NAME"])
    target = dest / "db.sqlite3"
    # Our own connection, not Django's: it sees only committed data, as a backup should.
    source = sqlite3.connect(name, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # A self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        counts = _count(copy.cursor(), _sqlite_tables(copy), lambda t: '"' + t + '"')
    finally:
        copy.close()
        source.close()
    return Dumped(target, counts, {"sqlite_version": sqlite3.sqlite_version})


def _sqlite_restore(file: Path, conn: BaseDatabaseWrapper) -> None:
    name = str(conn.settings_dict["NAME"])
    source = sqlite3.connect(file)
    target = sqlite3.connect(name, timeout=60)
    try:
        # Replaces every page of the target under its write lock; readers never see a mix.
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- PostgreSQL ------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseError(
            f"{name} is not installed (apt-get install postgresql-client, the server's version)"
        )
    return path


def _pg_env(conn: BaseDatabaseWrapper) -> dict[str, str]:
    s = conn.settings_dict
    env = {**os.environ, "PGDATABASE": str(s["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    if s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(s["OPTIONS"]["sslmode"])
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DatabaseError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _pg_dump(dest: Path, alias: str) -> Dumped:
    pg_dump = _tool("pg_dump")
    target = dest / "db.dump"
    # A connection of our own holds the snapshot open while pg_dump reads it.
    conn = connections.create_connection(alias)
    try:
        conn.set_autocommit(False)
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = _count(cursor, conn.introspection.table_names(cursor), conn.ops.quote_name)
            env = _pg_env(conn)
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                env,
            )
            version = _run([pg_dump, "--version"], env).strip()
        conn.rollback()
    finally:
        conn.close()
    return Dumped(target, counts, {"server_version": server_version, "pg_dump": version})


def _pg_restore(file: Path, conn: BaseDatabaseWrapper) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    env = _pg_env(conn)
    script, wipe = file.with_suffix(".sql"), file.with_suffix(".wipe.sql")
    # Everything of ours lives in "public": drop it and replay the dump in ONE transaction, so
    # a failure half-way leaves the database as it was.
    wipe.write_text("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
    _run([pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(file)], env)
    try:
        _run(
            [
                psql,
                "--quiet",
                "--no-psqlrc",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--file={wipe}",
                f"--file={script}",
            ],
            env,
        )
    finally:
        script.unlink(missing_ok=True)
        wipe.unlink(missing_ok=True)
