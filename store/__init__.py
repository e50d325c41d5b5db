"""The store: tables, migrations, the typed records and what it knows of submissions, communes and cross-checks."""
