"""PDFium's text page, character by character: boxes, weights and the page's text.

The per-character calls are the reader's hot loop, so the PDFium functions are called through
plain prototypes (``direct``) and a character's box is written into one reused buffer.
"""

from __future__ import annotations

import ctypes
import functools
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
INVISIBLE = 3
RECT = struct.Struct("4f")  # FSRECTF: left, top, right, bottom


class Chars:
    """Loose character boxes (the box a glyph occupies in its line, advance width included)."""

    def __init__(self, textpage: object) -> None:
        self.raw = textpage
        self.buffer = ctypes.create_string_buffer(RECT.size)
        self.address = ctypes.addressof(self.buffer)
        if LOOSE_BOX is not None and WEIGHT is not None:
            self.handle = ctypes.cast(textpage, ctypes.c_void_p).value
            self.loose = functools.partial(LOOSE_BOX, self.handle)
            """``loose(index, address)`` writes character ``index``'s box into ``buffer``."""
            self.weigh = functools.partial(WEIGHT, self.handle)
            """``weigh(index)``: the font weight of character ``index`` (0 or less: unknown)."""
        else:  # pragma: no cover
            self.box, self.bold = self._box_checked, self._bold_checked
            self.pointer = ctypes.cast(self.buffer, ctypes.POINTER(pdfium_c.FSRECTF))
            self.loose = lambda index, _: pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, self.pointer)
            self.weigh = lambda index: pdfium_c.FPDFText_GetFontWeight(self.raw, index)

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
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(self.raw, index, name, len(name), ctypes.byref(flags))
        return any(mark in name.value for mark in (b"Bold", b"Black", b"Heavy", b"Semibold"))

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
    codes = (pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(count))
    return "".join(chr(code) if 0 < code < 0x110000 else " " for code in codes)
