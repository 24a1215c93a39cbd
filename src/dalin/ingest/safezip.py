"""Open untrusted zip containers (DOCX, XLSX, PPTX, HWPX) without decompression bombs.

Every limit is checked against the central directory before anything is inflated, and
every read is bounded again while streaming, because a local header or the deflate
stream can disagree with the directory (SECURITY.md row 10).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from dalin.errors import CorruptDocument, EncryptedDocument, LimitExceeded
from dalin.ingest.limits import Limits

_CHUNK = 1 << 20
# Tiny members (an empty part, a run of spaces) reach high ratios innocently; the ratio
# only matters once a member is large enough to hurt.
_RATIO_FLOOR_BYTES = 1 << 20
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_OF_DIRECTORY = b"PK\x06\x06"
_END_RECORD_SEARCH = 22 + 0xFFFF  # the record plus the longest archive comment
# A directory entry is 46 bytes plus name, extra field and comment; 1 KiB is generous.
_MAX_DIRECTORY_BYTES_PER_ENTRY = 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)


#: the first bytes of an OLE compound file: legacy Office and HWP files, and the container
#: Office uses for a password-protected .docx/.xlsx/.pptx
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the stream an encrypted Office package keeps inside that container
_OLE_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def refuse_ole(data: bytes, *, not_zip: str, legacy: str, password: str | None = None) -> None:
    """Refuse an OLE compound file given where a zip package is expected, saying which.

    ``not_zip`` names what it is not ("not a DOCX (zip) file"), ``legacy`` the likely old
    format and its remedy ("an old Word .doc; save it as .docx"), and ``password`` (for
    Office formats) how to remove a password that turned the package into an OLE file.
    """
    if not data.startswith(OLE_SIGNATURE):
        return
    if password is not None and _OLE_ENCRYPTION_STREAM in data:
        raise EncryptedDocument(f"{password} and add the file again")
    raise CorruptDocument(
        f"{not_zip}: it is an OLE compound file, probably {legacy} and add it again"
    )


class SafeZip:
    """A zip archive whose directory has passed the limits; members are read bounded."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits, what: str) -> None:
        self._archive = archive
        self._limits = limits
        self._what = what
        self._members = {info.filename: info for info in archive.infolist()}

    def names(self) -> list[str]:
        """Member names in directory order."""
        return list(self._members)

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def read(self, name: str) -> bytes:
        """The bytes of one member, never more than its declared size and the limits allow."""
        return b"".join(self._stream(name))

    def verify(self) -> None:
        """Inflate every member once to check its CRC, keeping nothing in memory."""
        for name in self._members:
            for _ in self._stream(name):
                pass

    def _stream(self, name: str) -> Iterator[bytes]:
        info = self._members.get(name)
        if info is None:
            raise CorruptDocument(f"damaged {self._what}: the archive has no {name}")
        produced = 0
        try:
            with self._archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    produced += len(chunk)
                    self._account(info, produced)
                    yield chunk
        except NotImplementedError as error:  # a RuntimeError too, so it must come first
            raise CorruptDocument(
                f"unreadable {self._what}: {name} uses an unsupported zip compression method"
            ) from error
        except RuntimeError as error:  # zipfile's signal for a password-protected member
            raise EncryptedDocument(
                f"password-protected {self._what}: {name} is encrypted; remove the password"
            ) from error
        except _ZIP_ERRORS as error:
            raise CorruptDocument(
                f"damaged {self._what}: {name} cannot be read ({error}); "
                "open it in its application and save it again"
            ) from error

    def _account(self, info: zipfile.ZipInfo, produced: int) -> None:
        # zipfile stops at the declared size itself; this keeps the guarantee ours, since
        # the declared sizes are what the directory check summed against the limits.
        if produced > info.file_size:
            raise LimitExceeded(
                f"{self._what} member {info.filename} inflates beyond its declared size"
            )


def _total_message(what: str, limits: Limits) -> str:
    return (
        f"{what} expands to more than {limits.max_uncompressed_bytes:,} bytes (possible zip bomb)"
    )


def _le(data: bytes, start: int, size: int) -> int:
    return int.from_bytes(data[start : start + size], "little")


def _declared_directory(data: bytes) -> tuple[int, int] | None:
    """(entries, directory bytes) from the end-of-central-directory record, zip64 aware."""
    end = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - _END_RECORD_SEARCH))
    if end < 0 or end + 22 > len(data):
        return None  # zipfile will report the missing directory
    entries, directory_bytes = _le(data, end + 10, 2), _le(data, end + 12, 4)
    if entries != 0xFFFF and directory_bytes != 0xFFFFFFFF:
        return entries, directory_bytes
    locator = end - 20
    if locator < 0 or data[locator : locator + 4] != _ZIP64_LOCATOR:
        return entries, directory_bytes
    record = _le(data, locator + 8, 8)
    if data[record : record + 4] != _ZIP64_END_OF_DIRECTORY:
        return entries, directory_bytes
    return _le(data, record + 32, 8), _le(data, record + 40, 8)


def _check_end_record(data: bytes, limits: Limits, what: str) -> None:
    """Refuse a huge central directory before zipfile builds an object per entry."""
    declared = _declared_directory(data)
    if declared is None:
        return
    entries, directory_bytes = declared
    if entries > limits.max_zip_entries or directory_bytes > (
        limits.max_zip_entries * _MAX_DIRECTORY_BYTES_PER_ENTRY
    ):
        raise LimitExceeded(
            f"{what} declares {entries:,} zip entries in a {directory_bytes:,}-byte directory, "
            f"more than the limit of {limits.max_zip_entries:,} entries (possible zip bomb)"
        )


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits, what: str) -> None:
    if len(infos) > limits.max_zip_entries:
        raise LimitExceeded(
            f"{what} holds {len(infos):,} zip entries, more than the limit of "
            f"{limits.max_zip_entries:,} (possible zip bomb)"
        )
    if sum(info.file_size for info in infos) > limits.max_uncompressed_bytes:
        raise LimitExceeded(_total_message(what, limits))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise LimitExceeded(
                f"{what} member {info.filename} would inflate {ratio:,.0f} times "
                f"(limit {limits.max_compression_ratio:,.0f}; possible zip bomb)"
            )
        if info.flag_bits & 0x1:
            raise EncryptedDocument(
                f"password-protected {what}: {info.filename} is encrypted; remove the password"
            )


def open_zip(data: bytes, limits: Limits, *, what: str = "zip", verify: bool = True) -> SafeZip:
    """Open ``data`` as a zip after checking its directory against ``limits``.

    With ``verify`` every member is inflated once (streaming, bounded) so a bad CRC or a
    truncated member anywhere is reported as CorruptDocument before any text is used.
    """
    _check_end_record(data, limits, what)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        reason = "no zip directory found" if "not a zip file" in str(error) else str(error)
        raise CorruptDocument(f"not a {what} (zip) file, or a truncated one: {reason}") from None
    except (*_ZIP_ERRORS, NotImplementedError) as error:
        raise CorruptDocument(f"damaged {what} (zip) file: {error}") from None
    _check_directory(archive.infolist(), limits, what)
    safe = SafeZip(archive, limits, what)
    if verify:
        safe.verify()
    return safe
