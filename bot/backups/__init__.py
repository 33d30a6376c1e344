"""Backups that are checked before they are called backups, and restores that check first.

- cli.py: `python -m bot backup [DEST]` and `python -m bot restore FILE`;
- copy.py: a backup of the live database, checked, then named;
- restore.py: a backup put in place of the database, with the bot stopped;
- nightly.py: the bot's own backup every night into BACKUP_DIR, and its pruning;
- files.py: backup files' names, privacy and pruning;
- keys.py: the current keys checked against a backup file.

Each database's own tools live with its backend: storage/sqlite/backup.py (SQLite's backup
API) and storage/postgres/tools.py (pg_dump and pg_restore); storage/upgrades.py names the
migrations a restored or upgraded database still needs.
"""
