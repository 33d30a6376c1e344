"""Storage: the SQLite database, encryption at rest and one repository per table."""
