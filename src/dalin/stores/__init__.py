"""Stores keep documents, chunks and the lexical index; one backend per module."""
