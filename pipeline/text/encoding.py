"""Turn a corpus file's bytes into text, or say clearly why not."""

from __future__ import annotations

import codecs

from ..errors import PipelineError

# Magic numbers of formats users rename to .txt by mistake, with what to do instead.
_BINARY_SIGNATURES = (
    (b"%PDF", "a PDF file", "extract its text first (e.g. `pdftotext FILE out.txt`)"),
    (b"\x89PNG", "a PNG image", "run OCR on it first (e.g. `tesseract FILE out -l ind+eng`)"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it first (e.g. `tesseract FILE out -l ind+eng`)"),
    (b"PK\x03\x04", "a ZIP/Office file", "save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an old Office file", "save it as plain text first"),
)


def decode_document(data: bytes, name: str, encoding: str = "auto", max_bytes: int = 0) -> str:
    """Decode a document, refusing binaries, empty files and undecodable bytes.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name, for messages.
    encoding : str
        ``"auto"`` (UTF-8, or UTF-16/32 by their byte-order mark) or a codec name.
    max_bytes : int
        Refuse larger files (0: no limit).

    Returns
    -------
    str

    Raises
    ------
    PipelineError
        One line naming the file and the fix.
    """
    if max_bytes and len(data) > max_bytes:
        raise PipelineError(
            f"{name}: {len(data):,} bytes is over the limit of {max_bytes:,}; split the file "
            "or raise [ingest] max_bytes in the config"
        )
    for magic, what, fix in _BINARY_SIGNATURES:
        if data.startswith(magic):
            raise PipelineError(f"{name}: this is {what}, not text; {fix}")
    if encoding == "auto":
        if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
            encoding = "utf-32"
        elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
            if b"\x00" in data[:4096]:
                raise PipelineError(
                    f"{name}: binary content (NUL bytes), not a text file; remove it from the corpus"
                )
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise PipelineError(
            f"{name}: cannot be read as {encoding} ({exc.__class__.__name__} at byte "
            f"{getattr(exc, 'start', '?')}); convert it to UTF-8 (e.g. `iconv -f latin1 -t utf-8`) "
            "or set [ingest] encoding in the config"
        ) from None
    if not text.strip():
        raise PipelineError(f"{name}: empty document (no text); add text or remove the file")
    return text
