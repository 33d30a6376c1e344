"""Storage: everything the bot keeps, sealed at rest, behind one seam: the core sees
repositories, storage's own errors and a unit of work, never a database driver.

- one repository per table (requests.py, messages.py, peers.py, inbox.py, outbox.py, ...),
  typed against the seam; retention.py and integrity.py, the purge and start-up's checks;
- crypto.py and sealed.py: encryption at rest, the blind index, every sealed column;
  rotation.py re-seals them under a new key;
- errors.py: what storage raises, whatever the backend;
- session.py: a `Write` (a function of a `Session`, the open transaction) that a backend runs
  in one go, and `together` to keep several in one transaction;
- backend.py: the seam: the `Database` and `Row` protocols, the SQL dialect repositories speak
  (what both backends run), and `open_database`, which opens the configured backend;
- sqlite/: the SQLite backend (the default, DATABASE_PATH): the database class, its
  migrations, its error translation, its private files;
- postgres/: the PostgreSQL backend (DATABASE_URL): the database class (a connection pool,
  serializable transactions run again when they lose a race), its migrations (the same
  numbers as SQLite's, from a baseline), its SQL translation and error translation;

A backend is a folder of its own: a class that implements `backend.Database` (its `Session`
runs the dialect backend.py describes), its own numbered migrations, and its driver's
exceptions translated into errors.py's; `open_database` picks it. The repositories do not
change.
"""
