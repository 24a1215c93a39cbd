"""Regenerate the legacy Office test files in this folder from the flat ODF sources here.

    python tests/ingest/legacy/make_legacy.py      # needs LibreOffice (soffice) on PATH

단가표.fods (a fictional two-sheet price list) -> 단가표.xls (Excel 97-2003) and 단가표.ods;
취업규칙.fodt (fictional work rules: heading, articles, a table) -> 취업규칙.doc (Word 97);
소개.fodp (a fictional three-slide deck with a table) -> 소개.ppt (PowerPoint 97).
The converted files are committed, so the tests need LibreOffice only to *read* .doc and
.ppt (the .xls/.ods reader is a Python package); this script is how they were made, with
LibreOffice 7.4 from Debian 12.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {
    "단가표.fods": (("xls", "MS Excel 97"), ("ods", "calc8")),
    "취업규칙.fodt": (("doc", "MS Word 97"),),
    "소개.fodp": (("ppt", "MS PowerPoint 97"),),
}


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("LibreOffice is not installed (sudo apt-get install libreoffice-calc-nogui …)")
    with tempfile.TemporaryDirectory() as profile:
        for source, outputs in TARGETS.items():
            for suffix, output_filter in outputs:
                subprocess.run(
                    [
                        soffice,
                        f"-env:UserInstallation=file://{profile}",
                        "--headless",
                        "--convert-to",
                        f"{suffix}:{output_filter}",
                        "--outdir",
                        str(HERE),
                        str(HERE / source),
                    ],
                    check=True,
                    timeout=120,
                )


if __name__ == "__main__":
    main()
