"""Convert legacy binary documents (.doc, .ppt, HWP 3.x) with LibreOffice, headless.

LibreOffice is an optional system program (Debian: ``libreoffice-writer-nogui`` and
``libreoffice-impress-nogui``). A file is written under a fresh temporary folder with a
name we choose, converted there to DOCX or PPTX by ``soffice --convert-to``, and the result
is read by our own hardened DOCX/PPTX readers. Each conversion gets its own LibreOffice
profile in that folder, so parallel workers never share (or lock) one, and the program runs
under the parse's deadline and memory cap (``external.py``). The import filter is named
explicitly: left to guess, LibreOffice reads any bytes it does not recognise as plain text.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from dalin.errors import CorruptDocument, LimitExceeded
from dalin.ingest.external import Deadline, run_program

INSTALL_HINT = (
    "sudo apt-get install --no-install-recommends libreoffice-writer-nogui "
    "libreoffice-impress-nogui"
)
# A converted file larger than this is not a document we can read anyway.
_MAX_OUTPUT_BYTES = 512 * 1024 * 1024


@functools.cache
def soffice_path() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, *, import_filter: str, target: str, deadline: Deadline) -> bytes:
    """The bytes of ``data`` converted to ``target`` ("docx" or "pptx").

    ``import_filter`` is LibreOffice's name for the source format, e.g. "MS Word 97".
    Raises CorruptDocument when LibreOffice cannot read the file, LimitExceeded when it
    runs out of time.
    """
    program = soffice_path()
    if program is None:  # callers check first; this keeps the contract whole
        raise CorruptDocument(f"LibreOffice is not installed ({INSTALL_HINT})")
    with tempfile.TemporaryDirectory(prefix="dalin-soffice-") as folder:
        work = Path(folder)
        source = work / "input.bin"
        source.write_bytes(data)
        out = work / "out"
        completed = run_program(
            [
                program,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                f"--infilter={import_filter}",
                "--convert-to",
                target,
                "--outdir",
                out,
                source,
            ],
            deadline=deadline,
            what="converting the file with LibreOffice",
            env={"HOME": str(work)},  # whatever it writes stays in the folder we delete
            cwd=work,
        )
        result = out / f"input.{target}"
        if not result.is_file():
            said = completed.stderr.decode(errors="replace").strip().splitlines()
            reason = said[-1] if said else f"exit code {completed.returncode}"
            raise CorruptDocument(f"LibreOffice could not read the file ({reason})")
        if result.stat().st_size > _MAX_OUTPUT_BYTES:
            raise LimitExceeded("the file converts to more than 512 MB")
        return result.read_bytes()
