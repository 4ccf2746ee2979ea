"""A page's vector paths, read straight from PDFium: their bounds (is there a grid?) and their
straight axis-parallel segments (the rulings of a table, as pdfplumber edge dicts).

A page of a long ruled table holds hundreds of paths of a few segments each, so the PDFium
functions are called through plain prototypes (see ``chars.direct``), and only the paths that
stand in a grid's region are taken apart into segments.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

from rok_compare.ingest.pdf.chars import direct

Box = tuple[float, float, float, float]
"""x0, bottom, x1, top in PDF user space (y upwards)."""

THIN, LONG, MARGIN = 3.0, 10.0, 2.0
"""A rule is at most ``THIN`` thick and at least ``LONG`` long; shapes ``MARGIN`` apart touch."""
MAX_PATHS = 400
_SEGMENT_MOVE, _SEGMENT_LINE = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
_FLOAT_P = ctypes.POINTER(ctypes.c_float)
_VOID, _INT = ctypes.c_void_p, ctypes.c_int
_GET_OBJECT = direct(pdfium_c.FPDFPage_GetObject, _VOID, _VOID, _INT)
_GET_TYPE = direct(pdfium_c.FPDFPageObj_GetType, _INT, _VOID)
_GET_BOUNDS = direct(pdfium_c.FPDFPageObj_GetBounds, _INT, _VOID, _FLOAT_P, _FLOAT_P, _FLOAT_P, _FLOAT_P)
_COUNT_SEGMENTS = direct(pdfium_c.FPDFPath_CountSegments, _INT, _VOID)
_GET_SEGMENT = direct(pdfium_c.FPDFPath_GetPathSegment, _VOID, _VOID, _INT)
_GET_POINT = direct(pdfium_c.FPDFPathSegment_GetPoint, _INT, _VOID, _FLOAT_P, _FLOAT_P)
_SEGMENT_TYPE = direct(pdfium_c.FPDFPathSegment_GetType, _INT, _VOID)
_SEGMENT_CLOSE = direct(pdfium_c.FPDFPathSegment_GetClose, _INT, _VOID)
_GET_MATRIX = direct(pdfium_c.FPDFPageObj_GetMatrix, _INT, _VOID, _VOID)
if None in (_GET_OBJECT, _GET_TYPE, _GET_BOUNDS, _COUNT_SEGMENTS, _GET_SEGMENT, _GET_POINT, _SEGMENT_TYPE,
            _SEGMENT_CLOSE, _GET_MATRIX):  # pragma: no cover
    raise ImportError("this ctypes cannot call PDFium's path functions through plain prototypes")


class _Paths:
    """The page's top-level path objects with their bounds, read once per call."""

    def __init__(self, page: object) -> None:
        self.handle = ctypes.cast(page, ctypes.c_void_p).value
        self.count = pdfium_c.FPDFPage_CountObjects(page)
        self.corners = (ctypes.c_float * 4)()
        self.pointers = [ctypes.cast(ctypes.byref(self.corners, 4 * i), _FLOAT_P) for i in range(4)]

    def __iter__(self):
        """(object handle, bounds) of each path object, in the page's order."""
        get_object, get_type, get_bounds, pointers = _GET_OBJECT, _GET_TYPE, _GET_BOUNDS, self.pointers
        path_type, corners = pdfium_c.FPDF_PAGEOBJ_PATH, self.corners
        for index in range(self.count):
            obj = get_object(self.handle, index)
            if get_type(obj) == path_type and get_bounds(obj, *pointers):
                yield obj, tuple(corners)


Path = tuple[int, Box]
"""A path object's handle and bounds (valid while its page is open)."""


def path_shapes(page: object, every: list[Path] | None = None) -> list[tuple[Box, int]]:
    """Bounds and segment counts of the page's top-level path objects that could be rulings
    (at most ``MAX_PATHS``). Every path object goes into ``every`` when it is given (for
    ``ruling_edges``, which then need not look through the page's objects again); it is
    emptied when the page holds more paths than are looked at."""
    shapes: list[tuple[Box, int]] = []
    for obj, box in _Paths(page):
        if every is not None:
            every.append((obj, box))
        if max(box[2] - box[0], box[3] - box[1]) >= LONG:  # not a bullet or a glyph-like mark
            shapes.append((box, _COUNT_SEGMENTS(obj)))
            if len(shapes) >= MAX_PATHS:
                if every is not None:
                    every.clear()  # not all of them: ``ruling_edges`` reads the page itself
                break
    return shapes


def ruling_edges(page: object, page_top: float, regions: list[Box], paths: list[Path] | None = None) -> list[dict]:
    """Axis-parallel straight segments of the paths standing in ``regions``, as pdfplumber edge
    dicts (top-down coordinates), each edge once (neighbouring cells' frames share theirs).
    ``paths`` are the page's path objects when ``path_shapes`` collected them all."""
    edges: dict[tuple, dict] = {}
    matrix = pdfium_c.FS_MATRIX()
    matrix_address = ctypes.addressof(matrix)
    point = (ctypes.c_float * 2)()
    x_pointer = ctypes.cast(ctypes.byref(point, 0), _FLOAT_P)
    y_pointer = ctypes.cast(ctypes.byref(point, 4), _FLOAT_P)
    get_segment, get_point, segment_type, segment_close = _GET_SEGMENT, _GET_POINT, _SEGMENT_TYPE, _SEGMENT_CLOSE
    for obj, box in paths or _Paths(page):
        if not any(box[0] <= r[2] + MARGIN and box[2] >= r[0] - MARGIN and box[1] <= r[3] + MARGIN
                   and box[3] >= r[1] - MARGIN for r in regions):
            continue
        segments = _COUNT_SEGMENTS(obj)
        if segments == 2 and min(box[2] - box[0], box[3] - box[1]) <= THIN:  # a rule: one line, its bounds
            middle = (box[1] + box[3]) / 2 if box[3] - box[1] <= THIN else None
            if middle is not None:
                _add_edge(edges, (box[0], middle), (box[2], middle), page_top)
            else:
                centre = (box[0] + box[2]) / 2
                _add_edge(edges, (centre, box[1]), (centre, box[3]), page_top)
            continue
        _GET_MATRIX(obj, matrix_address)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        start = current = None
        for k in range(segments):
            segment = get_segment(obj, k)
            get_point(segment, x_pointer, y_pointer)
            x, y = point
            here = (a * x + c * y + e, b * x + d * y + f)
            kind = segment_type(segment)
            if kind == _SEGMENT_LINE and current is not None:
                _add_edge(edges, current, here, page_top)
            if kind == _SEGMENT_MOVE:
                start = here
            current = here
            if segment_close(segment) and start is not None:
                _add_edge(edges, current, start, page_top)
                current = start
    return [edge for edge in edges.values() if _edge_in(edge, regions, page_top)]


def _add_edge(edges: dict[tuple, dict], p: tuple[float, float], q: tuple[float, float], page_top: float) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= 1.0 and abs(x0 - x1) >= THIN:
        top = page_top - (y0 + y1) / 2
        left, right = min(x0, x1), max(x0, x1)
        key = ("h", round(left, 2), round(right, 2), round(top, 2))
        if key not in edges:
            edges[key] = {"object_type": "line_edge", "orientation": "h", "x0": left, "x1": right,
                          "top": top, "bottom": top, "doctop": top, "width": right - left, "height": 0}
    elif abs(x0 - x1) <= 1.0 and abs(y0 - y1) >= THIN:
        top, bottom = page_top - max(y0, y1), page_top - min(y0, y1)
        middle = (x0 + x1) / 2
        key = ("v", round(middle, 2), round(top, 2), round(bottom, 2))
        if key not in edges:
            edges[key] = {"object_type": "line_edge", "orientation": "v", "x0": middle, "x1": middle,
                          "top": top, "bottom": bottom, "doctop": top, "width": 0, "height": bottom - top}


def _edge_in(edge: dict, regions: list[Box], page_top: float) -> bool:
    x0, x1 = edge["x0"], edge["x1"]
    y_low, y_high = page_top - edge["bottom"], page_top - edge["top"]
    return any(r[0] - MARGIN <= x0 and x1 <= r[2] + MARGIN and r[1] - MARGIN <= y_low
               and y_high <= r[3] + MARGIN for r in regions)
