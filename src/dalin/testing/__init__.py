"""Contract tests and fakes that every implementation of a dalin interface runs."""
