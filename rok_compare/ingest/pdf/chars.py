"""PDFium's text page, character by character: boxes, weights and the page's text.

The per-character calls are the reader's hot loop, so the PDFium functions are called through
plain prototypes (``direct``) and a character's box is written into one reused buffer.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import struct

import pypdfium2.raw as pdfium_c

_BOLD_WEIGHT = 600
_UNSURE = 500
"""A weight from 500 to 599 is asked of the font's name too: Arial Black says 530."""


def direct(function: object, restype: object, *argtypes: object) -> object:
    """A PDFium function called through a plain prototype (integer handles, no argument
    conversion): the per-character calls are the hot loop, and this halves their cost."""
    try:
        address = ctypes.cast(function, ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)
    except (TypeError, ctypes.ArgumentError, AttributeError):  # pragma: no cover
        return None


LOOSE_BOX = direct(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                     ctypes.c_void_p)
WEIGHT = direct(pdfium_c.FPDFText_GetFontWeight, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
ANGLE = direct(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float, ctypes.c_void_p, ctypes.c_int)
GET_TEXT_OBJECT = direct(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
RENDER_MODE = direct(pdfium_c.FPDFTextObj_GetTextRenderMode, ctypes.c_int, ctypes.c_void_p)
UNICODE = direct(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
FONT_INFO = direct(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                   ctypes.c_ulong, ctypes.c_void_p)
INVISIBLE = 3
RECT = struct.Struct("4f")  # FSRECTF: left, top, right, bottom
TWO_RECTS = struct.Struct("8f")


class Chars:
    """Loose character boxes (the box a glyph occupies in its line, advance width included)."""

    def __init__(self, textpage: object) -> None:
        self.raw = textpage
        self.handle = None
        self.name: ctypes.Array | None = None
        self.pair = ctypes.create_string_buffer(TWO_RECTS.size)
        """Two boxes side by side: a run's first and last characters' (``buffer`` is the first)."""
        self.buffer = self.pair
        self.address = ctypes.addressof(self.pair)
        if LOOSE_BOX is not None and WEIGHT is not None:
            self.handle = ctypes.cast(textpage, ctypes.c_void_p).value
            self.loose = functools.partial(LOOSE_BOX, self.handle)
            """``loose(index, address)`` writes character ``index``'s box into ``buffer``."""
            self.weigh = functools.partial(WEIGHT, self.handle)
            """``weigh(index)``: the font weight of character ``index`` (0 or less: unknown)."""
        else:  # pragma: no cover
            self.box, self.bold = self._box_checked, self._bold_checked
            self.pointer = ctypes.cast(self.buffer, ctypes.POINTER(pdfium_c.FSRECTF))
            self.loose = lambda index, address: pdfium_c.FPDFText_GetLooseCharBox(
                self.raw, index, ctypes.cast(address, ctypes.POINTER(pdfium_c.FSRECTF)))
            self.weigh = lambda index: pdfium_c.FPDFText_GetFontWeight(self.raw, index)

    def ends(self, first: int, last: int) -> tuple[float, ...]:
        """The boxes of characters ``first`` and ``last`` in one go: left, top, right, bottom
        of the first, then of the last (a word's two ends)."""
        self.loose(first, self.address)
        self.loose(last, self.address + RECT.size)
        return TWO_RECTS.unpack_from(self.pair)

    def box(self, index: int) -> tuple[float, float, float, float]:
        """left, bottom, right, top of character ``index``."""
        LOOSE_BOX(self.handle, index, self.address)
        left, top, right, bottom = RECT.unpack_from(self.buffer)
        return left, bottom, right, top

    def bold(self, index: int) -> bool:
        weight = WEIGHT(self.handle, index)
        return weight >= _BOLD_WEIGHT if weight > 0 and not _UNSURE <= weight < _BOLD_WEIGHT \
            else self._bold_by_name(index)

    def _bold_by_name(self, index: int) -> bool:
        """A font without a weight (the standard 14 fonts, not embedded): ask its name."""
        if self.name is None:  # one buffer for the page's questions
            self.name, self.flags = ctypes.create_string_buffer(128), ctypes.c_int()
        if FONT_INFO is not None and self.handle is not None:
            FONT_INFO(self.handle, index, ctypes.addressof(self.name), 128, ctypes.addressof(self.flags))
        else:  # pragma: no cover
            pdfium_c.FPDFText_GetFontInfo(self.raw, index, self.name, 128, ctypes.byref(self.flags))
        name = self.name.value
        return b"Bold" in name or b"Black" in name or b"Heavy" in name or b"Semibold" in name

    def _box_checked(self, index: int) -> tuple[float, float, float, float]:
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, self.pointer)
        left, top, right, bottom = RECT.unpack_from(self.buffer)
        return left, bottom, right, top

    def _bold_checked(self, index: int) -> bool:
        weight = pdfium_c.FPDFText_GetFontWeight(self.raw, index)
        return weight >= _BOLD_WEIGHT if weight > 0 and not _UNSURE <= weight < _BOLD_WEIGHT \
            else self._bold_by_name(index)


def page_text(textpage: object, count: int) -> str:
    """The page's characters, one per character index (PDFium's bulk text can skip some)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, max(0, written - 1) * 2).decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    if UNICODE is not None:  # one character at a time, straight (a page of thousands)
        handle = ctypes.cast(textpage, ctypes.c_void_p).value
        codes = map(UNICODE, itertools.repeat(handle, count), range(count))
    else:  # pragma: no cover
        codes = (pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(count))
    return "".join([chr(code) if 0 < code < 0x110000 else " " for code in codes])
