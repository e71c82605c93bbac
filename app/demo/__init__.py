"""The demo organisation, built from the source documents in app/demo/seeds (copied from the project's shared seeds)."""
