"""The text layer of a PDF, page by page, or a clear message why there is none.

Pure: works on the PDF's bytes (no file I/O). Uses :mod:`pypdf`, a maintained
pure-Python PDF library, so no system tool is needed to read born-digital PDFs.
Scanned PDFs (page images without a text layer) are refused with the name of a
tool that adds one; OCR is not this project's job.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

from ..errors import PipelineError

logger = logging.getLogger(__name__)

__all__ = ["PdfText", "extract_pdf_text", "OCR_ADVICE", "MIN_LETTERS_PER_PAGE"]

# A page with fewer letters than this is treated as having no text layer: scans
# often carry a stray page number or a watermark string, never prose.
MIN_LETTERS_PER_PAGE = 20

OCR_ADVICE = ("run OCR on it first, e.g. `ocrmypdf -l ind+eng FILE.pdf FILE_ocr.pdf` "
              "(then add FILE_ocr.pdf) or `tesseract PAGE.png out -l ind+eng`")

_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass
class PdfText:
    """What a PDF's text layer holds.

    Attributes
    ----------
    pages : list of str
        The text of every page, in page order (empty strings for pages without text).
    empty_pages : list of int
        1-based numbers of pages with (almost) no text: scanned pages or figures.
    """

    pages: list[str]
    empty_pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The pages with text, separated by blank lines (a page break ends a paragraph)."""
        return "\n\n".join(p.strip("\n") for p in self.pages if p.strip())


def _letters(text: str) -> int:
    return len(_LETTER_RE.findall(text))


def extract_pdf_text(data: bytes, name: str = "document.pdf") -> PdfText:
    """Extract the text layer of a PDF.

    Parameters
    ----------
    data : bytes
        The PDF file's content.
    name : str
        The file name, for messages.

    Returns
    -------
    PdfText
        Every page's text; pages with fewer than :data:`MIN_LETTERS_PER_PAGE`
        letters are listed in ``empty_pages``.

    Raises
    ------
    PipelineError
        One line naming the file and the fix: not a PDF, damaged, encrypted, or
        no text layer at all (scanned: needs OCR first).
    """
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise PipelineError(f"{name}: not a PDF file (no %PDF header); check the file")
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, PdfReadError, PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        raise PipelineError(f"{name}: reading PDFs needs pypdf; install it with `pip install pypdf`") from None
    # pypdf logs every recoverable defect of a PDF as a warning; the user cannot act on them.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            # What pypdf raises for encryption it cannot open: its own errors, a missing
            # crypto package (DependencyError), an unsupported algorithm (NotImplementedError),
            # and ValueError/KeyError/TypeError from a malformed encryption dictionary.
            except (PyPdfError, DependencyError, NotImplementedError, ValueError, KeyError, TypeError):
                ok = 0
            if not ok:
                raise PipelineError(f"{name}: the PDF is password-protected; save an unprotected copy "
                                    "(e.g. `qpdf --decrypt --password=PW in.pdf out.pdf`) and add that")
        pages = []
        for number, page in enumerate(reader.pages, 1):
            try:
                pages.append(page.extract_text() or "")
            # Broad on purpose: one bad page must not lose the others, and pypdf's text
            # extraction fails on damaged content streams with nearly any type (its own
            # errors, KeyError, ValueError, TypeError, IndexError, AttributeError,
            # ZeroDivisionError, RecursionError, ...). The page reads as empty (listed in
            # empty_pages) and the failure is logged.
            except Exception as exc:  # noqa: BLE001
                logger.warning("%s: page %d: text extraction failed (%s: %s); the page reads as empty",
                               name, number, type(exc).__name__, exc)
                pages.append("")
    except PipelineError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise PipelineError(f"{name}: damaged PDF, cannot be read ({exc.__class__.__name__}); "
                            "re-export or repair it (e.g. `qpdf in.pdf fixed.pdf`)") from None
    # Text layers use NUL and form feeds as padding; they are no text.
    pages = [p.replace("\x00", "").replace("\x0c", "\n") for p in pages]
    empty = [i for i, p in enumerate(pages, 1) if _letters(p) < MIN_LETTERS_PER_PAGE]
    if not pages:
        raise PipelineError(f"{name}: the PDF has no pages; check the file")
    if len(empty) == len(pages):
        raise PipelineError(f"{name}: the PDF has no text layer (scanned pages or images only); {OCR_ADVICE}")
    return PdfText(pages, empty)
