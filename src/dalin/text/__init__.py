"""Text processing shared by indexing and querying."""
