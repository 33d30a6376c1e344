"""Start-up's checks of the database (storage/integrity.py, bot/runner.py) on real SQLite files:
keys that do not open what is stored, a damaged or foreign file, a database that vanished, one
deleted or replaced under a running bot, and the single-instance guard without its lock file;
and `python -m bot keys` next to a .env that already has keys."""

from __future__ import annotations

import dataclasses
import secrets
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import make_settings

from bot import __main__ as cli
from bot import runner
from bot.platform.settings import Settings, exposed
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError
from storage.languages import LanguageRepository
from storage.sqlite import migrations

NOW = 1_700_000_000


def keyring_of(settings: Settings) -> Keyring:
    return Keyring(settings.encryption_keys, settings.index_key)


async def started_with_values(settings: Settings, count: int = 3) -> None:
    """A first start, then a few sealed values, as a bot that ran would leave them."""
    await runner.check_storage(settings)
    db = await open_database(settings.database_path)
    try:
        languages = LanguageRepository(db, keyring_of(settings))
        for chat_id in range(1, count + 1):
            await languages.set(chat_id, "en", NOW)
    finally:
        await db.close()


async def test_a_first_start_records_the_id_and_a_later_one_finds_it(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = await runner.check_storage(settings)
    marker = integrity.id_file(settings.database_path)
    assert first is not None and marker.read_text().strip() == first
    assert oct(marker.stat().st_mode & 0o777) == "0o600"
    assert await runner.check_storage(settings) == first


async def test_other_encryption_keys_are_named_in_one_line(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    fresh = dataclasses.replace(settings, encryption_keys=(secrets.token_bytes(32),))
    with pytest.raises(integrity.StoredDataError) as refused:
        await runner.check_storage(fresh)
    message = str(refused.value)
    assert message.startswith("ENCRYPTION_KEYS cannot open the values stored in DATABASE_PATH=")
    assert "INDEX_KEY" not in message and "\n" not in message


async def test_a_new_key_first_and_the_old_one_after_it_is_fine(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    rotating = dataclasses.replace(
        settings, encryption_keys=(secrets.token_bytes(32), *settings.encryption_keys))
    assert await runner.check_storage(rotating) is not None


async def test_values_under_a_dropped_key_are_a_warning_not_a_refusal(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    new_only = dataclasses.replace(settings, encryption_keys=(secrets.token_bytes(32),))
    db = await open_database(settings.database_path)
    try:  # something written under the new key since
        await LanguageRepository(db, keyring_of(new_only)).set(99, "fr", NOW)
    finally:
        await db.close()
    await runner.check_storage(new_only)
    assert "3 value(s)" in caplog.text and "languages.language" in caplog.text


async def test_another_index_key_is_named(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    other = dataclasses.replace(settings, index_key=secrets.token_bytes(32))
    with pytest.raises(integrity.StoredDataError, match=r"^INDEX_KEY is not the one"):
        await runner.check_storage(other)
    # Changed on purpose: rotate-keys records the new one, and the bot starts.
    db = await open_database(settings.database_path)
    try:
        assert await integrity.record_index_key(db, keyring_of(other))
        assert not await integrity.record_index_key(db, keyring_of(other))
    finally:
        await db.close()
    assert await runner.check_storage(other) is not None


async def test_a_database_without_the_check_values_gets_them(tmp_path: Path) -> None:
    """A database from before migration 0015: no id, no index check; written at next start."""
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    db = await open_database(settings.database_path)
    await db.write("DELETE FROM identity")
    await db.close()
    integrity.id_file(settings.database_path).unlink()
    assert await runner.check_storage(settings) is not None
    other = dataclasses.replace(settings, index_key=secrets.token_bytes(32))
    with pytest.raises(integrity.StoredDataError, match="INDEX_KEY"):
        await runner.check_storage(other)


async def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    settings.database_path.parent.mkdir(parents=True)
    settings.database_path.write_bytes(b"these are not the pages you are looking for " * 200)
    with pytest.raises(DatabaseUnusableError, match=r"is not a usable database"):
        await runner.check_storage(settings)


async def test_a_damaged_database_fails_the_quick_check(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_values(settings, count=300)
    data = bytearray(settings.database_path.read_bytes())
    assert len(data) > 4096 * 4
    for page in range(1, len(data) // 4096):  # the inside of every page but the first
        data[page * 4096 + 8: page * 4096 + 400] = b"\xff" * 392
    settings.database_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnusableError, match=r"DATABASE_PATH=.*(damaged|not a usable)"):
        await runner.check_storage(settings)


async def test_a_database_missing_from_a_folder_that_held_it_is_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    path = settings.database_path
    integrity.refuse_a_vanished_database(path)  # an empty folder: a first start
    await started_with_values(settings)
    path.unlink()
    with pytest.raises(integrity.StoredDataError, match=r"does not exist, but its folder"):
        integrity.refuse_a_vanished_database(path)
    # A new empty file made there meanwhile (by a command run by hand) is no better.
    path.touch()
    with pytest.raises(integrity.StoredDataError, match=r"is not the database this folder"):
        await runner.check_storage(settings)


async def test_a_swapped_database_is_refused(tmp_path: Path) -> None:
    first = make_settings(tmp_path / "one")
    second = make_settings(tmp_path / "two")
    await started_with_values(first)
    await started_with_values(second)
    shutil.copyfile(second.database_path, first.database_path)
    swapped = dataclasses.replace(first, encryption_keys=second.encryption_keys,
                                  index_key=second.index_key)
    with pytest.raises(integrity.StoredDataError, match=r"its id does not match"):
        await runner.check_storage(swapped)


async def test_a_deleted_or_replaced_file_is_noticed_and_its_data_saved(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    db = await open_database(settings.database_path)
    try:
        assert db.file_changed() is None
        for name in (settings.database_path.name, f"{settings.database_path.name}-wal",
                     f"{settings.database_path.name}-shm"):
            (settings.database_path.parent / name).unlink(missing_ok=True)
        assert db.file_changed() == "was deleted"
        copy = tmp_path / "saved.db"
        await db.save_copy(copy)
        settings.database_path.touch()
        assert db.file_changed() == "was replaced by another file"
    finally:
        await db.close()
    restored = await open_database(copy)
    try:
        assert await LanguageRepository(restored, keyring_of(settings)).get(2) == "en"
    finally:
        await restored.close()


def test_deleting_the_lock_file_does_not_let_a_second_instance_in(tmp_path: Path) -> None:
    path = tmp_path / "data" / "peer_support.db"
    with runner.single_instance(path):
        Path(f"{path}.lock").unlink()
        with pytest.raises(runner.AnotherInstanceError), runner.single_instance(path):
            pass
    with runner.single_instance(path):  # released at exit
        pass


def test_keys_refuses_a_dotenv_that_has_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("ENCRYPTION_KEYS", "INDEX_KEY", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    env = tmp_path / ".env"
    env.write_text("BOT_TOKEN=1:x\nENCRYPTION_KEYS=\nINDEX_KEY=\n")  # as .env.example has it
    env.chmod(0o600)
    cli.main(["keys"])
    first = capsys.readouterr()
    assert first.out.count("=") == 2 and not first.err
    env.write_text(env.read_text() + first.out)
    with pytest.raises(SystemExit) as refused:
        cli.main(["keys"])
    assert refused.value.code == 2
    said = capsys.readouterr()
    assert not said.out
    assert "already sets ENCRYPTION_KEYS and INDEX_KEY" in said.err
    assert "Rotating keys" in said.err and "--force" in said.err
    cli.main(["keys", "--force"])
    assert capsys.readouterr().out.count("=") == 2


def test_a_dotenv_others_can_read_is_warned_about(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("BOT_TOKEN=1:x\n")
    env.chmod(0o644)
    warning = exposed(env)
    assert warning is not None and "chmod 600" in warning and "644" in warning
    env.chmod(0o600)
    assert exposed(env) is None


async def test_check_tells_the_schema_version_of_a_file(tmp_path: Path) -> None:
    """What `python -m bot check` says of a database file: its version against this one's; an
    older one is migrated at the next start, not by `check`."""
    settings = make_settings(tmp_path)
    await started_with_values(settings)
    newest = migrations()[-1][0]
    db = await open_database(settings.database_path, migrate=False)
    try:
        state = await integrity.schema_state(db)
        assert db.local_file == settings.database_path
        assert db.where == f"DATABASE_PATH={settings.database_path}"
    finally:
        await db.close()
    assert (state.version, state.older) == (newest, False)
    assert state.describe() == f"intact; schema version {newest}, this version's newest"
    with sqlite3.connect(settings.database_path) as conn:
        conn.execute(f"PRAGMA user_version = {newest - 1}")
    conn.close()
    db = await open_database(settings.database_path, migrate=False)
    try:
        older = await integrity.schema_state(db)
        assert older.older
        assert older.describe().endswith(f"older than this version's {newest}: the next start "
                                         "migrates it")
        # The keys are still checked on it, as at start.
        await integrity.verify(db, keyring_of(settings), record=False)
    finally:
        await db.close()
