"""Turn a file's bytes into text, or say clearly why not: the one decoder.

Every reader of text files decodes with one chain of rules (:func:`_detect`).
Asked to detect the encoding (``"auto"``), it tries in order

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. UTF-16 without a mark (NUL bytes in every other position of the first 4 KB);
3. strict UTF-8;
4. Windows-1252 (the usual legacy encoding of Indonesian and English text;
   strict, so its five undefined bytes fail it), charset-normalizer's guess
   when that library is installed, and Latin-1, which decodes anything.

Steps 2 and 4 are guesses, each with a warning naming the encoding chosen.
charset-normalizer is not asked first because on short Latin-script text it
guesses exotic code pages (cp775 for a cp1252 Indonesian abstract).

Who reads what:

- ``add`` (:func:`decode_text`): any file the user gives, with every step;
- ``clean`` (:func:`read_document`): the same, and a file that cannot be text is
  refused (over a size limit, a known binary format by its magic number, NUL bytes
  where no UTF-16/32 reading was found, or no text at all);
- ingest (:func:`decode_document`): a corpus file, refused as ``clean`` refuses,
  without the guesses: the corpus holds UTF-8 or UTF-16/32 with a byte-order mark
  (what ``add`` writes), so a corpus file in another encoding was put there by hand
  and is refused with the fix, not read by a guess.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from ..errors import PipelineError

# Magic numbers of formats users rename to .txt by mistake, with what to do instead.
_BINARY_SIGNATURES = (
    (b"%PDF", "a PDF file", "extract its text first (e.g. `pdftotext FILE out.txt`)"),
    (b"\x89PNG", "a PNG image", "run OCR on it first (e.g. `tesseract FILE out -l ind+eng`)"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it first (e.g. `tesseract FILE out -l ind+eng`)"),
    (b"PK\x03\x04", "a ZIP/Office file", "save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an old Office file", "save it as plain text first"),
)

# Byte-order marks, the UTF-32 ones first: a UTF-32-LE mark begins with the UTF-16-LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

# The byte-order-mark codecs whose bytes hold NULs; read by any other codec, NUL bytes mean a binary file.
_WIDE_CODECS = frozenset({"utf-32", "utf-16"})

# How much of the start of a file the UTF-16 and NUL-byte tests look at.
_HEAD_BYTES = 4096


class Decoded(NamedTuple):
    """A decoded text file.

    Attributes
    ----------
    text : str
        The text (a UTF-8 byte-order mark removed).
    codec : str
        The Python codec that decoded it.
    warning : str or None
        One line for the user when the encoding was guessed (no byte-order mark,
        not UTF-8), else None.
    """

    text: str
    codec: str
    warning: str | None


def decode_text(data: bytes, name: str, encoding: str = "auto") -> Decoded:
    """Decode a text file, detecting its encoding unless one is given (the rules in the module docstring).

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name, for messages.
    encoding : str
        ``"auto"`` to detect it, or a Python codec name (what ``--encoding`` gives).

    Returns
    -------
    Decoded
        ``(text, codec, warning)``; with ``"auto"`` some reading is always found.

    Raises
    ------
    PipelineError
        When a given encoding is unknown or does not decode the bytes.
    """
    if encoding != "auto":
        try:
            return Decoded(data.decode(encoding), encoding, None)
        except LookupError:
            raise PipelineError(f"--encoding {encoding}: unknown encoding; use a Python codec name "
                                "such as utf-8, cp1252, latin-1 or utf-16") from None
        except UnicodeDecodeError as exc:
            raise PipelineError(f"{name}: cannot be read as {encoding} (bad byte at {exc.start}); "
                                "leave --encoding out to detect it") from None
    return _detect(data, name, guess=True, refuse_binary=False)


def read_document(data: bytes, name: str, encoding: str = "auto", max_bytes: int = 0, *,
                  guess: bool = True) -> Decoded:
    """Decode a document as :func:`decode_text` does, refusing what cannot be a text document.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name, for messages.
    encoding : str
        ``"auto"`` (detected) or a codec name.
    max_bytes : int
        Refuse larger files (0: no limit).
    guess : bool
        Try UTF-16 without a byte-order mark and the legacy code pages (what
        ``clean`` reads, as ``add`` does); without them a file that is neither
        UTF-8 nor marked UTF-16/32 is refused (a corpus file, see :func:`decode_document`).

    Returns
    -------
    Decoded
        ``(text, codec, warning)``; the text holds more than whitespace.

    Raises
    ------
    PipelineError
        One line naming the file and the fix: over the size limit, a binary
        format (by magic number, or NUL bytes in a file that no UTF-16/32
        reading fits), undecodable, or empty.
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
        decoded = _detect(data, name, guess=guess, refuse_binary=True)
    else:
        try:
            decoded = Decoded(data.decode(encoding), encoding, None)
        except (UnicodeDecodeError, LookupError) as exc:
            raise _undecodable(name, encoding, exc) from None
    if not decoded.text.strip():
        raise PipelineError(f"{name}: empty document (no text); add text or remove the file")
    return decoded


def decode_document(data: bytes, name: str, encoding: str = "auto", max_bytes: int = 0) -> str:
    """Decode a corpus file (what ingest reads): :func:`read_document` without the guesses.

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
        As :func:`read_document`; a file in no Unicode encoding is refused with the fix
        (convert it, or set ``[ingest] encoding``).
    """
    return read_document(data, name, encoding, max_bytes, guess=False).text


def _undecodable(name: str, encoding: str, exc: UnicodeDecodeError | LookupError) -> PipelineError:
    return PipelineError(
        f"{name}: cannot be read as {encoding} ({exc.__class__.__name__} at byte "
        f"{getattr(exc, 'start', '?')}); convert it to UTF-8 (e.g. `iconv -f latin1 -t utf-8`) "
        "or set [ingest] encoding in the config"
    )


def _detect(data: bytes, name: str, *, guess: bool, refuse_binary: bool) -> Decoded:
    """The reading of ``data`` the rules choose (the steps of the module docstring).

    ``guess`` allows steps 2 and 4 (without them a failed step is an error);
    ``refuse_binary`` refuses NUL bytes in the first 4 KB unless the text is UTF-16/32.
    """
    for bom, codec in _BYTE_ORDER_MARKS:
        if data.startswith(bom):
            if refuse_binary and codec not in _WIDE_CODECS:
                _refuse_nul_bytes(data, name)
            try:
                return Decoded(data.decode(codec), codec, None)
            except UnicodeDecodeError as exc:
                if not guess:
                    raise _undecodable(name, codec, exc) from None
                break
    if guess:
        # UTF-16 without a mark before UTF-8: ASCII text in UTF-16 is also valid UTF-8 (full of NULs).
        head = data[:_HEAD_BYTES]
        if len(head) >= 8:
            even, odd = head[0::2], head[1::2]
            for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
                if zeros.count(0) > 0.4 * len(zeros):
                    try:
                        return Decoded(data.decode(codec), codec,
                                       f"{name}: no byte-order mark; read as {codec.upper()}")
                    except UnicodeDecodeError:
                        pass
    if refuse_binary:
        _refuse_nul_bytes(data, name)
    # Without guesses the codec is utf-8-sig, as it always was for corpus files (the same
    # text for unmarked bytes, and an error position counted the same way).
    codec = "utf-8" if guess else "utf-8-sig"
    try:
        return Decoded(data.decode(codec), codec, None)
    except UnicodeDecodeError as exc:
        if not guess:
            raise _undecodable(name, codec, exc) from None
    return _legacy(data, name)


def _refuse_nul_bytes(data: bytes, name: str) -> None:
    if b"\x00" in data[:_HEAD_BYTES]:
        raise PipelineError(f"{name}: binary content (NUL bytes), not a text file; remove it from the corpus")


def _legacy(data: bytes, name: str) -> Decoded:
    """The first legacy code page that decodes the bytes (Latin-1 always does)."""
    guesses = ["cp1252"]
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
        if best is not None and best.encoding:
            guesses.append(best.encoding)
    except ImportError:  # pragma: no cover - an optional helper
        pass
    guesses.append("latin-1")
    for codec in guesses:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return Decoded(text, codec, f"{name}: not UTF-8; read as {codec} (pass --encoding if the characters look wrong)")
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover
