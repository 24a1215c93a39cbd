"""From files to chunks: parsers, limits, chunking and the ingest pipeline."""
