"""Backups of every table, and their restore into an empty database of either engine."""
