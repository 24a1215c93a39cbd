"""Limits that keep a hostile or huge file from hurting ingestion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-file limits applied by every parser.

    The defaults admit any real business document seen so far (the largest sample is a
    68-page RFP) while refusing decompression bombs long before they exhaust memory.
    """

    max_file_bytes: int = 200 * 1024 * 1024
    #: total uncompressed size of all members of a zip-based file (DOCX, XLSX, PPTX, HWPX)
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    #: uncompressed/compressed ratio of any single member; real Office XML stays under ~30
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 10_000
    #: characters of text kept from one document; beyond this the file is refused
    max_text_chars: int = 50_000_000
    #: PDF pages or PPTX slides read from one file
    max_pages: int = 20_000
    #: wall-clock seconds for one file's parse (enforced by the worker when parsing runs in one)
    max_seconds: float = 120.0
    #: address space of one parse worker; a file needing more fails with LimitExceeded
    max_memory_bytes: int = 2 * 1024 * 1024 * 1024
