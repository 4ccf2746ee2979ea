"""The measure of the text around a line: where the lines near it end.

Text set narrower than its column (a box's cell beside an icon column, text beside a picture)
ends all its lines well short of the column's right edge; judged against that edge, the next
line's first word would always seem to have fitted, and every line would look as if its author
ended it there. The lines just above and below a line, with no paragraph gap between and
starting where it starts, show the edge its text was set to.
"""

from __future__ import annotations

from rok_compare.ingest.pdf.layout import Flow, Line

NEIGHBOURS = 2
"""Lines above and below a line that show the measure of the text it stands in."""
LONG_LINE = 0.3
"""A line reaching this share of its flow's width or more is a line of running text."""


class LocalMeasure:
    """The lines of one flow, looked at around a line only when asked (most lines of running
    text reach their column's edge, and then nothing needs to be looked at)."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.lines: list[Line] | None = None
        self.index: dict[int, int] = {}

    def around(self, flow: Flow, previous: Line) -> Flow:
        """``flow`` narrowed to the right edge of the text around ``previous`` when that is a
        line of running text that stops well short of the flow's edge, as do its neighbours."""
        height = max(previous.height, 1.0)
        if flow.right - previous.x1 < 2 * height or previous.x1 - previous.x0 < LONG_LINE * (flow.right - flow.left):
            return flow
        right = self._right(previous)
        return flow if flow.right - right < 2 * height else Flow(flow.left, right)

    def _right(self, line: Line) -> float:
        """The furthest end among the lines within ``NEIGHBOURS`` of ``line``, with no
        paragraph gap between, that start where it starts."""
        if self.lines is None:
            self.lines = [item for item in self.flow.items if isinstance(item, Line)]
            self.index = {id(item): number for number, item in enumerate(self.lines)}
        lines, at = self.lines, self.index.get(id(line))
        if at is None:
            return line.x1
        first = last = at
        while first > 0 and at - first < NEIGHBOURS and _close(lines[first - 1], lines[first]):
            first -= 1
        while last < len(lines) - 1 and last - at < NEIGHBOURS and _close(lines[last], lines[last + 1]):
            last += 1
        return max(other.x1 for other in lines[first : last + 1] if abs(other.x0 - line.x0) <= 1.5)


def _close(above: Line, below: Line) -> bool:
    """No paragraph gap between two lines."""
    return 0 < above.middle - below.middle <= 1.6 * max(above.height, below.height, 1.0)
