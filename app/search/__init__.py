"""One search box over the organisation and the job descriptions (issue 19, point 6).

It sits above the domains it reads (org, jobs) and below the API: ``models`` holds the index
(one row per searchable record), ``indexing`` keeps it up to date from the session's flushes and
rebuilds it (``flask search rebuild``), ``services`` answers a query for a user (only what their
domains' access rules let them see), ``views`` the results page, ``cli`` the rebuild command.

The database does the matching: SQLite's FTS5 with the ``trigram`` tokenizer (Chinese has no
spaces; trigrams need no word list), PostgreSQL's ``pg_trgm`` GIN index under ``ILIKE``.
"""
