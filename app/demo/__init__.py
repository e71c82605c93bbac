"""The demo organisation, built from the source documents in ../shared/seeds."""
