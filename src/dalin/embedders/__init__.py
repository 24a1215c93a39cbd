"""Embedding models: texts in, unit vectors out; the bundled local model and any server."""
