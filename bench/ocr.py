"""OCR fidelity: pages of the text-layer PDFs in ../shared/samples, rendered to images and
read back with Tesseract through dalin's own OCR code, compared with their text layer.

Each page is read twice: clean (rendered at ``--dpi``) and degraded like a poor scan or
fax (rendered at 150 dpi, turned by 1.5°, grey noise, JPEG at quality 40). Per document:

* CER, character error rate: edit distance / reference length, after NFKC, with all
  whitespace and dot leaders (``·····``) removed on both sides. It counts reading order:
  text read in another order than the text layer's (two columns, table cells) counts as
  errors although every character may be right.
* keyword recall: the share of the text layer's index tokens (Kiwi morphemes and Latin
  words, exactly what dalin indexes) that the OCR text yields too, as multisets: what a
  keyword search can still find.
* pages per second, one Tesseract thread (parse workers use the other cores).

The documents are split in two: ``dev`` pages chose the settings (resolution, languages,
page segmentation, word spacing); ``heldout`` pages were never looked at while choosing and
are the ones to report.

    python bench/ocr.py --split heldout [--pages 4] [--dpi 200] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import io
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from rapidfuzz.distance import Levenshtein

from dalin.ingest.external import Deadline
from dalin.ingest.ocr import PAGE_SEGMENTATION, read_image
from dalin.ingest.parsers.pdf_ocr import RENDER_DPI
from dalin.text.korean import tokenize

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
SPLITS = {
    "dev": (
        "odl_2125318_환경노동위원회_검토보고서.pdf",
        "autorag_kbo_table_text.pdf",
        "korquad_KorQuAD_2.0_paper.pdf",
    ),
    "heldout": (
        "odl_국회회의록_21대_414회_환경노동위원회.pdf",
        "odl_제안요청서_온나라웹기안기_230524.pdf",
        "autorag_kbo_only_table.pdf",
    ),
}
_LEADERS = re.compile(r"[·•.…ㆍ‥]{3,}")
_MIN_PAGE_CHARS = 100
DEGRADED_DPI = 150


def normalized(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", _LEADERS.sub("", text)).split())


def degrade(image: Image.Image, seed: int) -> Image.Image:
    """A poor scan: turned by 1.5°, grey noise (sigma 18), JPEG quality 40."""
    turned = image.rotate(1.5, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0.0, 18.0, pixels.shape)
    noisy = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=40)
    return Image.open(io.BytesIO(buffer.getvalue()))


@dataclass
class Tally:
    pages: int = 0
    errors: int = 0
    reference: int = 0
    tokens: int = 0
    found: int = 0
    seconds: float = 0.0
    confidences: list[float] = field(default_factory=list)

    def add(self, reference: str, ocr: str, seconds: float, confidence: float) -> None:
        self.pages += 1
        ref, got = normalized(reference), normalized(ocr)
        self.errors += Levenshtein.distance(ref, got)
        self.reference += len(ref)
        want = Counter(tokenize(reference))
        self.tokens += sum(want.values())
        self.found += sum((want & Counter(tokenize(ocr))).values())
        self.seconds += seconds
        self.confidences.append(confidence)

    def row(self, label: str) -> str:
        cer = self.errors / max(1, self.reference)
        recall = self.found / max(1, self.tokens)
        speed = self.pages / max(self.seconds, 1e-9)
        conf = sum(self.confidences) / max(1, len(self.confidences))
        return f"| {label} | {self.pages} | {cer:.3f} | {recall:.3f} | {conf:.1f} | {speed:.2f} |"


def ocr_text(image: Image.Image, dpi: int, args: argparse.Namespace) -> tuple[str, float, float]:
    start = time.perf_counter()
    page = read_image(
        image,
        dpi=dpi,
        deadline=Deadline.after(600),
        languages=args.languages,
        segmentation=args.psm,
    )
    seconds = time.perf_counter() - start
    text = "\n".join(line.text for line in page.lines)
    return text, seconds, page.confidence


def measure(path: Path, args: argparse.Namespace) -> tuple[Tally, Tally]:
    clean, degraded = Tally(), Tally()
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        read = 0
        for index in range(len(document)):
            if read >= args.pages:
                break
            page = document[index]
            reference = page.get_textpage().get_text_bounded()
            if len(normalized(reference)) < _MIN_PAGE_CHARS:
                continue
            read += 1
            image = page.render(scale=args.dpi / 72, grayscale=True).to_pil()
            clean.add(reference, *ocr_text(image, args.dpi, args))
            low = page.render(scale=DEGRADED_DPI / 72, grayscale=True).to_pil()
            degraded.add(reference, *ocr_text(degrade(low, index), DEGRADED_DPI, args))
    finally:
        document.close()
    return clean, degraded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="heldout")
    parser.add_argument("--pages", type=int, default=4, help="text pages read per document")
    parser.add_argument("--dpi", type=int, default=RENDER_DPI)
    parser.add_argument(
        "--languages", default="", help="one Tesseract pass with these (default: dalin's choice)"
    )
    parser.add_argument("--psm", default=PAGE_SEGMENTATION)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    if not SAMPLES.is_dir():
        print(f"skipped: {SAMPLES} not found (run inside the dalin workplace)")
        return
    lines = [
        f"split {args.split}, {args.pages} pages per document, clean at {args.dpi} dpi,"
        f" degraded at {DEGRADED_DPI} dpi; -l {args.languages or 'kor, then kor+eng'}"
        f" --psm {args.psm}",
        "",
        "| document · copy | pages | CER | keyword recall | confidence | pages/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    totals = (Tally(), Tally())
    for name in SPLITS[args.split]:
        for kind, tally, total in zip(
            ("clean", "degraded"), measure(SAMPLES / name, args), totals, strict=True
        ):
            row = tally.row(f"{name} · {kind}")
            print(row, flush=True)
            lines.append(row)
            for key in ("pages", "errors", "reference", "tokens", "found", "seconds"):
                setattr(total, key, getattr(total, key) + getattr(tally, key))
            total.confidences += tally.confidences
    for kind, total in zip(("clean", "degraded"), totals, strict=True):
        row = total.row(f"**all · {kind}**")
        print(row)
        lines.append(row)
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
