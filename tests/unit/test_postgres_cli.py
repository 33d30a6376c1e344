"""PostgreSQL from the operator's side, against a real server (tests/postgres.py):
`python -m bot check` naming what is wrong (unreachable, wrong password, unknown database, no
permission, a newer schema) and what is right; `python -m bot migrate-to-postgres` copying a
SQLite database filled by a real flow, readable afterwards with the same keys, all or nothing,
the file untouched; and one active bot instance per database (the advisory lock), a second
one standing by until it is free.

Where the machine has no PostgreSQL the module fails, saying so, unless
PEER_SUPPORT_NO_POSTGRES=1 (then it is skipped)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import postgres  # tests/postgres.py (tests/unit/conftest.py puts tests/ on the path)
import pytest
from conftest import PEER_IDS, Harness, in_group, make_settings, peer, responder
from offline import OfflineRequest

from bot import __main__ as cli
from bot import runner
from bot.app import build_application
from bot.platform.settings import Settings, encode_key
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError
from storage.languages import LanguageRepository
from storage.messages import MessageRepository
from storage.postgres import migrations as postgres_migrations
from storage.postgres.instance import InstanceLock
from storage.requests import RequestRepository

Server = postgres.PostgresServer


@pytest.fixture
def server(postgres_server: Server | None, postgres_url: str) -> Server:
    """The session's PostgreSQL server (`postgres_url` fails, or skips under
    PEER_SUPPORT_NO_POSTGRES=1, where the machine has none)."""
    assert postgres_server is not None
    return postgres_server


def _role(server: Server, prefix: str) -> tuple[str, str]:
    """A new login role, with no rights of its own: its name and password."""
    name, password = f"{prefix}_{secrets.token_hex(4)}", secrets.token_hex(8)
    server.sql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    return name, password


def _password(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]


def _with(url: str, *, password: str | None = None, port: int | None = None,
          database: str | None = None, user: str | None = None) -> str:
    """`url` with one part changed."""
    scheme, rest = url.split("://", 1)
    user_info, location = rest.split("@", 1)
    name, secret = user_info.split(":", 1)
    host_port, dbname = location.split("/", 1)
    host, old_port = host_port.split(":")
    return (f"{scheme}://{user or name}:{password or secret}@{host}:{port or old_port}/"
            f"{database or dbname}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(settings: Settings, **more: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env.update({
        "BOT_TOKEN": "123456:ABC-def_ghi", "PEER_GROUP_ID": "-1001",
        "ENCRYPTION_KEYS": ",".join(encode_key(k) for k in settings.encryption_keys),
        "INDEX_KEY": encode_key(settings.index_key),
        "DATABASE_PATH": str(settings.database_path),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # never contacted
    })
    if settings.database_url is not None:
        env["DATABASE_URL"] = settings.database_url
    env.update(more)
    return env


def _bot(cwd: Path, settings: Settings, *args: str, **more: str,
         ) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as an operator runs it; its password never in what it says."""
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd,
                          env=_environment(settings, **more), capture_output=True, text=True,
                          timeout=120, check=False)
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    for url in (settings.database_url, more.get("DATABASE_URL")):
        if url:
            assert _password(url) not in said, "a password was printed"
    return done


def _on_postgres(tmp_path: Path, url: str) -> Settings:
    return make_settings(tmp_path, database_url=url)


# --- check -----------------------------------------------------------------------------------


def test_check_names_each_thing_that_is_wrong(server: Server, tmp_path: Path) -> None:
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    name = url.rsplit("/", 1)[1]
    weak, weak_password = _role(server, "weak")
    cases = [
        (_with(url, port=_free_port()),
         "cannot be reached (the connection was refused): is the server running, and are the "
         "host and port right?"),
        (_with(url, password="not-the-password"),
         "refused the login: the user name or password is wrong"),
        (_with(url, database="no_such_database"), "the database does not exist"),
        (_with(url, user=weak, password=weak_password),
         f"/{name}: the user has no permission to create the bot's tables in schema public: "
         "make it the database's owner, or GRANT CREATE ON SCHEMA public TO it"),
    ]
    for bad, why in cases:
        done = _bot(tmp_path, settings, "check", DATABASE_URL=bad)
        assert done.returncode == 2, done
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("The bot cannot start: DATABASE_URL=postgresql://")
        assert ":***@127.0.0.1:" in lines[0] and why in lines[0], lines[0]
        assert "Configuration OK" not in done.stdout


def test_check_refuses_a_database_it_may_not_connect_to(server: Server, tmp_path: Path) -> None:
    url = server.new_database()
    name = url.rsplit("/", 1)[1]
    user, password = _role(server, "outsider")
    server.sql(f"REVOKE CONNECT ON DATABASE {name} FROM PUBLIC")
    outsider = _with(url, user=user, password=password)
    done = _bot(tmp_path, _on_postgres(tmp_path, outsider), "check")
    assert done.returncode == 2, done
    assert "the user has no permission" in done.stderr, done.stderr


def test_check_refuses_a_user_who_may_not_write_the_tables(server: Server,
                                                         tmp_path: Path) -> None:
    url = server.new_database()
    name = url.rsplit("/", 1)[1]
    asyncio.run(runner.check_storage(_on_postgres(tmp_path, url)))  # made by their owner
    user, password = _role(server, "reader")
    server.sql(f"GRANT SELECT ON schema_version TO {user}", name)
    done = _bot(tmp_path, _on_postgres(tmp_path, _with(url, user=user, password=password)),
                "check")
    assert done.returncode == 2, done
    assert (f":***@127.0.0.1:{server.port}/{name}: the user has no permission to read and "
            "write the table audit and ") in done.stderr, done.stderr


def test_check_refuses_a_schema_newer_than_this_version(server: Server, tmp_path: Path) -> None:
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    assert runner.EXIT_STORAGE == 2
    asyncio.run(runner.check_storage(settings))  # a first start: tables made
    server.sql("INSERT INTO schema_version (version) VALUES (9999)", url.rsplit("/", 1)[1])
    done = _bot(tmp_path, settings, "check")
    assert done.returncode == 2, done
    assert "holds a schema newer than this version of the bot knows (migration 9999;" \
        in done.stderr, done.stderr
    assert "upgrade the bot" in done.stderr
    # And the bot does not start on it either.
    with pytest.raises(DatabaseUnusableError, match="newer than this version"):
        asyncio.run(runner.check_storage(settings))


def test_check_says_what_a_start_will_do_and_that_the_keys_fit(server: Server,
                                                            tmp_path: Path) -> None:
    url = server.new_database()
    name = url.rsplit("/", 1)[1]
    settings = _on_postgres(tmp_path, url)
    empty = _bot(tmp_path, settings, "check")
    assert empty.returncode == 0, empty.stderr
    assert "it answers; empty: the first start creates its tables" in empty.stdout
    assert "DATABASE_URL=postgresql://" in empty.stdout and ":***@" in empty.stdout
    assert server.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                      name) == "0", "check creates nothing"

    asyncio.run(_fill_languages(settings))
    newest = _newest()
    done = _bot(tmp_path, settings, "check")
    assert done.returncode == 0, done.stderr
    assert (f"it answers; schema version {newest}, this version's newest; the keys open what "
            "it holds") in done.stdout

    other_keys = dataclasses.replace(settings, encryption_keys=(os.urandom(32),))
    refused = _bot(tmp_path, other_keys, "check")
    assert refused.returncode == 2
    assert refused.stderr.startswith("The bot cannot start: ENCRYPTION_KEYS cannot open the "
                                     "values stored in DATABASE_URL=postgresql://")

    server.sql(f"DELETE FROM schema_version WHERE version = {newest}", name)
    older = _bot(tmp_path, settings, "check")
    assert older.returncode == 0, older.stderr
    assert f"older than this version's {newest}: the next start migrates it" in older.stdout


def _newest() -> int:
    return int(postgres_migrations()[-1][0])


async def _fill_languages(settings: Settings) -> None:
    """A first start, then a few sealed values."""
    await runner.check_storage(settings)
    db = await open_database(settings.database_path, url=settings.database_url)
    try:
        languages = LanguageRepository(db, Keyring(settings.encryption_keys, settings.index_key))
        for chat_id in (1, 2, 3):
            await languages.set(chat_id, "fr", 1_700_000_000)
    finally:
        await db.close()


# --- start-up on PostgreSQL ------------------------------------------------------------------


async def test_start_up_checks_run_inside_the_database(server: Server, tmp_path: Path) -> None:
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    first = await runner.check_storage(settings)
    assert first is not None and await runner.check_storage(settings) == first
    assert not list(tmp_path.iterdir()), "nothing is written beside DATABASE_PATH"
    other = dataclasses.replace(settings, index_key=os.urandom(32))
    with pytest.raises(integrity.StoredDataError) as refused:
        await runner.check_storage(other)
    message = str(refused.value)
    assert message.startswith("INDEX_KEY is not the one DATABASE_URL=postgresql://")
    assert _password(url) not in message and ":***@" in message


async def test_one_instance_per_database(server: Server, tmp_path: Path) -> None:
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    async with runner.instance_lock(settings) as lock:
        assert lock is not None
        with pytest.raises(runner.AnotherInstanceError) as refused:
            async with runner.instance_lock(settings):
                pass
        message = str(refused.value)
        assert message.startswith("another Peer Support Bot is already running with "
                                  "DATABASE_URL=postgresql://")
        assert "(connected from 127.0.0.1 since " in message and "stop it first" in message
        assert _password(url) not in message
        # Its connection lost (a network failure): the lock is taken again on a new one.
        name = url.rsplit("/", 1)[1]
        _cut_the_lock(server, name)
        assert await lock.keep()
        assert await lock.keep()
        # ... unless another instance took it meanwhile.
        _cut_the_lock(server, name)
        async with runner.instance_lock(settings):
            assert not await lock.keep()
    async with runner.instance_lock(settings):  # released when its holder ended
        pass


def _cut_the_lock(server: Server, database: str) -> None:
    """End the instance lock's session, as a network failure would (and wait until it is
    gone)."""
    server.sql("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE "
               f"datname = '{database}' AND application_name LIKE 'peer-support-bot %'")


async def test_a_running_bot_whose_lock_another_took_stops(server: Server, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture,
                                                           ) -> None:
    """Its connection lost, and another instance in before it could take the lock again: it
    says so and stops (status 3 in `runner.run`)."""
    monkeypatch.setattr(runner, "WATCH_SECONDS", 0.1)
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    async with runner.instance_lock(settings) as lock:
        assert lock is not None
        quiet = asyncio.Event()
        watch = asyncio.create_task(runner._watch_instance_lock(lock, quiet))
        await asyncio.sleep(0.3)  # a few rounds: the lock is still its own
        assert not watch.done()
        quiet.set()
        assert await watch is True
        name = url.rsplit("/", 1)[1]
        _cut_the_lock(server, name)
        stopping = asyncio.Event()
        async with runner.instance_lock(settings):  # another instance, in meanwhile
            assert await asyncio.wait_for(
                runner._watch_instance_lock(lock, stopping), 10) is False
    assert stopping.is_set()
    assert "another Peer Support Bot took DATABASE_URL=postgresql://" in caplog.text
    assert _password(url) not in caplog.text


async def test_a_standby_gets_the_lock_when_its_holder_lets_go(server: Server) -> None:
    """A second holder waits, asking every so often, and has the lock once the first one's
    connection is closed (as a killed process's is)."""
    url = server.new_database()
    first, second = InstanceLock(url), InstanceLock(url)
    assert await first.take() is None
    assert await second.take() is not None
    waiting = asyncio.create_task(second.wait(every=0.05))
    try:
        await asyncio.sleep(0.3)  # a few rounds: still held by the first
        assert not waiting.done()
        await first.release()
        await asyncio.wait_for(waiting, 5)
        assert await second.keep()
        assert await InstanceLock(url).take() is not None, "the second holds it now"
    finally:
        waiting.cancel()
        await second.release()
    assert await first.take() is None
    await first.release()


async def test_a_standby_stops_waiting_cleanly(server: Server) -> None:
    """Cancelled while it waits, a standby leaves no session (and no lock) behind."""
    url = server.new_database()
    first, second = InstanceLock(url), InstanceLock(url)
    assert await first.take() is None
    waiting = asyncio.create_task(second.wait(every=0.05))
    await asyncio.sleep(0.3)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    name = url.rsplit("/", 1)[1]
    sessions = server.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                          f"'{name}' AND application_name LIKE 'peer-support-bot %'")
    assert sessions.strip() == "1", "only the first one's session is left"
    await first.release()
    assert await second.take() is None
    await second.release()


async def test_the_bot_stands_by_and_takes_over(server: Server, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """`instance_lock` with the bot's stop event: one line, then the lock once it is free,
    or nothing at all when the bot is stopped while it stands by."""
    caplog.set_level(logging.INFO, logger=runner.__name__)
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    async with runner.instance_lock(settings) as held:
        assert held is not None
        stopping = asyncio.Event()
        stopping.set()
        async with runner.instance_lock(settings, standby=stopping) as lock:
            assert lock is None
        assert "standing by to take over" in caplog.text
        assert "stopped while standing by" in caplog.text
        standby = asyncio.Event()

        async def standing_by() -> bool:
            async with runner.instance_lock(settings, standby=standby) as lock:
                return lock is not None and await lock.keep()

        taking_over = asyncio.create_task(standing_by())
        await asyncio.sleep(0.5)
        assert not taking_over.done()
        await held.release()  # as when its process dies
        assert await asyncio.wait_for(taking_over, 10)
    assert "taking over" in caplog.text
    assert _password(url) not in caplog.text


async def test_a_second_bot_on_one_database_stands_by(server: Server, tmp_path: Path) -> None:
    """The real process: one line saying it stands by, nothing created in the database, and
    a clean stop (status 0) on SIGTERM."""
    url = server.new_database()
    settings = _on_postgres(tmp_path, url)
    log = tmp_path / "standby.log"
    async with runner.instance_lock(settings):
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=tmp_path, env=_environment(settings),
                stdout=out, stderr=subprocess.STDOUT)
        try:
            async with asyncio.timeout(30):
                while "standing by to take over" not in log.read_text():
                    assert process.returncode is None, log.read_text()
                    await asyncio.sleep(0.1)
            process.terminate()
            code = await asyncio.wait_for(process.wait(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    said = log.read_text()
    assert code == 0, said
    assert "another instance is active on DATABASE_URL=postgresql://" in said
    assert _password(url) not in said and "Traceback" not in said
    name = url.rsplit("/", 1)[1]
    tables = server.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name)
    assert tables.strip() == "0", "a standby creates nothing"


async def test_an_unreachable_database_stops_the_bot_at_start(tmp_path: Path) -> None:
    url = f"postgresql://bot:hunter2-secret@127.0.0.1:{_free_port()}/peer_support"
    done = await asyncio.to_thread(_bot, tmp_path, _on_postgres(tmp_path, url))
    assert done.returncode == 2, done
    assert ("cannot start: DATABASE_URL=postgresql://bot:***@127.0.0.1:" in done.stderr
            and "cannot be reached" in done.stderr), done.stderr
    assert not list(tmp_path.iterdir()), "nothing is created beside DATABASE_PATH"


# --- migrate-to-postgres ---------------------------------------------------------------------


@asynccontextmanager
async def _bot_on_sqlite(tmp_path: Path) -> AsyncIterator[Harness]:
    """The application on the offline Bot API and a SQLite file, closed at the end."""
    request = OfflineRequest(members=set(PEER_IDS))
    app = build_application(make_settings(tmp_path), request)
    harness = Harness(app, request)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    outbox = harness.services.outbox
    outbox.overall_per_second = outbox.group_per_minute = outbox.busy_per_minute = 1_000_000
    try:
        yield harness
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()


async def _a_real_history(tmp_path: Path) -> tuple[Settings, str, str]:
    """A SQLite database after a real flow: a responder in Spanish, a claimed conversation with
    messages both ways, closed and rated; a second request waiting. Its settings, the first
    request's code and the waiting one's."""
    async with _bot_on_sqlite(tmp_path) as h:
        alex, sam = responder(), peer()
        await runner_start(h)
        code = await h.claimed(alex, sam, "Rough night shift.")
        await h.send(alex.text("The call at the bridge keeps coming back."))
        await h.send(sam.text("I'm here. Tell me about it."))
        await h.send(alex.command("/language es"))
        await h.send(alex.command("/end"))
        data, message_id = h.button(alex.user_id, "^5$")
        await h.send(alex.press(data, message_id))
        waiting = await h.open_request(responder(918273602, "Jo"), "Can someone call me?")
        await h.send(in_group(sam).command("/help"))
        settings = h.services.settings
    return settings, code, waiting


async def runner_start(h: Harness) -> None:
    """What a start records (the database's id, the index key's check value)."""
    await integrity.verify(h.services.db, Keyring(h.services.settings.encryption_keys,
                                                  h.services.settings.index_key), record=True)


def _fingerprint(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, hashlib.sha256(path.read_bytes()).hexdigest()


async def test_migrate_copies_a_real_history_that_the_same_keys_read(server: Server,
                                                                    tmp_path: Path) -> None:
    sqlite_settings, code, waiting = await _a_real_history(tmp_path)
    source = sqlite_settings.database_path
    before = _fingerprint(source)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    conn.close()
    assert counts["requests"] == 2 and counts["messages"] >= 3 and counts["feedback"] == 1
    assert counts["languages"] >= 1 and counts["outbox"] > 0 and counts["identity"] == 2

    url = server.new_database()
    settings = dataclasses.replace(sqlite_settings, database_url=url)
    done = await asyncio.to_thread(_bot, tmp_path, settings, "migrate-to-postgres")
    assert done.returncode == 0, done.stderr
    assert _fingerprint(source) == before, "the SQLite file was changed"
    for table, count in counts.items():
        assert f"  {table}: {count} row(s) copied" in done.stdout
        line = next(line for line in done.stdout.splitlines()
                    if line.split()[:1] == [table] and "→" in line)
        assert line.split() == [table, str(count), "→", str(count)], line
    assert "the counts match" in done.stdout

    keyring = Keyring(settings.encryption_keys, settings.index_key)
    db = await open_database(settings.database_path, url=url)
    try:
        requests = RequestRepository(db, keyring)
        closed = await requests.get_by_code(code)
        assert closed is not None and closed.state == "closed" and closed.closed_by == "responder"
        assert requests.is_responder_of(closed, responder().user_id)
        said = [(m.sender, m.text) for m in await MessageRepository(db, keyring)
                .conversation(closed.id)]
        assert said[:3] == [("responder", "Rough night shift."),
                            ("responder", "The call at the bridge keeps coming back."),
                            ("peer", "I'm here. Tell me about it.")]
        assert await LanguageRepository(db, keyring).get(responder().user_id) == "es"
        rating = await db.fetch_one("SELECT rating FROM feedback WHERE request_id = ?",
                                    (closed.id,))
        assert rating is not None and rating["rating"] == 5
        live = await requests.live_for_responder(918273602)
        assert live is not None and live.code == waiting and live.state == "open"
        # New rows get new ids after the copied ones.
        await db.write("INSERT INTO audit (at, actor, action) VALUES (?, ?, ?)",
                       (1, "system", "test"))
        ids = [row[0] for row in await db.fetch_all("SELECT id FROM audit ORDER BY id")]
        assert len(ids) == len(set(ids)) == counts["audit"] + 1
    finally:
        await db.close()

    checked = await asyncio.to_thread(_bot, tmp_path, settings, "check")
    assert checked.returncode == 0, checked.stderr
    assert "the keys open what it holds" in checked.stdout

    again = await asyncio.to_thread(_bot, tmp_path, settings, "migrate-to-postgres")
    assert again.returncode == 2
    assert "Nothing was copied: DATABASE_URL=postgresql://" in again.stderr
    assert ("is not empty (audit: " in again.stderr
            and "migrate-to-postgres copies into an empty database only" in again.stderr)
    assert _fingerprint(source) == before


async def test_migrate_is_all_or_nothing(server: Server, tmp_path: Path) -> None:
    settings, _, _ = await _a_real_history(tmp_path)
    url = server.new_database()
    name = url.rsplit("/", 1)[1]
    db = await open_database(settings.database_path, url=url)  # the tables, empty
    await db.close()
    server.sql("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN RAISE EXCEPTION 'refused by a test'; END $$", name)
    server.sql("CREATE TRIGGER refuse BEFORE INSERT ON resends FOR EACH ROW EXECUTE FUNCTION "
               "refuse()", name)
    server.sql("CREATE TRIGGER refuse BEFORE INSERT ON languages FOR EACH ROW EXECUTE "
               "FUNCTION refuse()", name)
    done = await asyncio.to_thread(_bot, tmp_path, dataclasses.replace(settings, database_url=url),
                                   "migrate-to-postgres")
    assert done.returncode == 2, done
    assert "Nothing was copied: " in done.stderr and "rolled back" in done.stderr, done.stderr
    for table in ("requests", "messages", "outbox", "identity"):
        assert server.sql(f"SELECT count(*) FROM {table}", name) == "0", table


async def test_migrate_refuses_what_it_cannot_copy(server: Server, tmp_path: Path) -> None:
    settings, _, _ = await _a_real_history(tmp_path)
    url = server.new_database()
    on_postgres = dataclasses.replace(settings, database_url=url)
    source = settings.database_path
    before = _fingerprint(source)

    unset = await asyncio.to_thread(_bot, tmp_path, settings, "migrate-to-postgres")
    assert unset.returncode == 2
    assert "Nothing was copied: DATABASE_URL is not set" in unset.stderr

    with runner.single_instance(source):  # as the running bot holds it
        running = await asyncio.to_thread(_bot, tmp_path, on_postgres, "migrate-to-postgres")
    assert running.returncode == 3, running
    assert (f"Nothing was copied: another Peer Support Bot is already running with "
            f"DATABASE_PATH={source}; stop it first") in running.stderr

    missing = await asyncio.to_thread(_bot, tmp_path, on_postgres, "migrate-to-postgres",
                                      DATABASE_PATH=str(tmp_path / "elsewhere.db"))
    assert missing.returncode == 2
    assert "elsewhere.db does not exist: there is nothing to copy" in missing.stderr
    assert not (tmp_path / "elsewhere.db").exists()

    older = tmp_path / "older.db"
    older.write_bytes(source.read_bytes())
    with sqlite3.connect(older) as conn:
        conn.execute("PRAGMA user_version = 12")
    conn.close()
    old = await asyncio.to_thread(_bot, tmp_path, on_postgres, "migrate-to-postgres",
                                  DATABASE_PATH=str(older))
    assert old.returncode == 2
    assert (f"is at schema version 12, older than this version's {_newest()}: start the bot "
            "once with this version on SQLite (it migrates the file), stop it, then run this "
            "again") in old.stderr

    assert _fingerprint(source) == before
    name = url.rsplit("/", 1)[1]
    assert server.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                      name) == "0", "nothing was made in PostgreSQL"


# --- the database gone while the bot runs ----------------------------------------------------


@pytest.fixture
def database_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The `harness` of this module runs on PostgreSQL, waiting 2 s (not 30) for a
    connection when the server does not give one."""
    monkeypatch.setattr("storage.postgres.database.POOL_SECONDS", 2.0)
    return postgres_url


async def test_a_database_gone_mid_conversation_is_said_and_then_it_goes_on(
        harness: Harness, postgres_server: Server, database_url: str) -> None:
    """Its sessions ended and new ones refused (as a server that went away): the responder is
    told their message could not be stored, nothing is passed on; once it is back, the
    conversation goes on."""
    alex, sam = responder(), peer()
    await harness.claimed(alex, sam)
    name = database_url.rsplit("/", 1)[1]
    postgres_server.sql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    postgres_server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE datname = '{name}'")
    try:
        await harness.send(alex.text("Are you still there?"))
        assert "could not be stored" in harness.texts_to(alex.user_id)[-1]
        assert not any("Are you still there" in t for t in harness.texts_to(sam.user_id))
    finally:
        postgres_server.sql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    harness.errors.clear()  # the handler's StorageError, told to the responder above
    await harness.send(alex.text("Back again."))
    assert harness.texts_to(sam.user_id)[-1].endswith("Back again.")


def test_the_database_password_is_masked_in_the_log(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Should anything quote DATABASE_URL in a log line or a traceback, its password is not
    there."""
    settings = make_settings(tmp_path, database_url="postgresql://bot:p%40ss-S3cret@db/x")
    env = _environment(settings)
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    def run(loaded: Settings) -> int:
        log = logging.getLogger("bot.test")
        log.error("connecting to %s", loaded.database_url)
        try:
            raise RuntimeError(f"failed: {loaded.database_url} (p@ss-S3cret)")
        except RuntimeError:
            log.exception("and a traceback")
        return 0

    monkeypatch.setattr(runner, "run", run)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        with pytest.raises(SystemExit):
            cli.main([])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    said = capsys.readouterr().err
    assert "connecting to postgresql://bot:[redacted]@db/x" in said, said
    assert "S3cret" not in said and "RuntimeError" in said
