"""Retrieval indexes kept beside the store: dense vectors (and, where needed, sparse lexical)."""
