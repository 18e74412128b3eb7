"""Minimal PDF files for tests of adding PDFs (used by tests of the corpus and of the CLI)."""

from __future__ import annotations

import textwrap


def make_pdf(pages: list[str | None], image_pages: bool = False) -> bytes:
    """A minimal valid PDF: one page per item, text in Helvetica (WinAnsi), or no text.

    ``None`` makes a page without a content stream, or with ``image_pages`` a page
    that only draws a 1x1 image (what a scan looks like to a text extractor).
    """
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for text in pages:
        if text is None and not image_pages:
            add(b"null")
            kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] >>".encode()))
            continue
        if text is None:
            content = b"q 200 0 0 200 100 400 cm /Im1 Do Q"
        else:
            lines = [line for para in text.split("\n") for line in (textwrap.wrap(para, 90) or [""])]
            ops = ["BT /F1 10 Tf 50 800 Td 12 TL"]
            for line in lines:
                ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
            ops.append("ET")
            content = "\n".join(ops).encode("cp1252", "replace")
        c_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] /Contents {c_id} 0 R "
                        f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>".encode()))
    assert add(("<< /Type /Pages /Kids [%s] /Count %d >>"
                % (" ".join(f"{k} 0 R" for k in kids), len(kids))).encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)
