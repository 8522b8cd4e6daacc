"""What the app looks like under ``NO_COLOR``: text in the shade that reads best, so that
an alert (``bold red``: "12d late", "120!", "late") stays bold and bright, never grey.

Textual's own answer to ``NO_COLOR`` turns every colour into the grey of the same
luminance, which makes red (the alerts) a dark grey: the least visible text on the screen.
Here a coloured foreground becomes the contrast colour of its background instead, the
colour's meaning being carried by the word itself and by bold; greys (muted text, the
hint shown in an empty field) and backgrounds (the cursor, the selection) keep Textual's grey.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, monochrome_style

# a foreground this saturated is a colour that means something (red, yellow, green, cyan),
# not a shade of grey
_SATURATED = 0.2


@lru_cache(1024)
def plain_style(style: Style, background: Color) -> Style:
    """A style with its colours in greys: a coloured foreground as the contrast colour of
    the background it is drawn on, everything else as Textual's monochrome."""
    colour = style.color
    if colour is not None and not colour.is_default:
        # a terminal's own (ANSI) colour by its usual shade, to tell a colour from a grey
        fg = Color(*colour.get_truecolor())
        if fg.hsl.s >= _SATURATED:
            under = background
            if style.bgcolor is not None and not style.bgcolor.is_default:
                under = Color.from_rich_color(style.bgcolor)
            contrast = under + under.get_contrast_text(0.95)
            style = style + Style.from_color(contrast.rich_color)
    return monochrome_style(style)


class PlainColours(LineFilter):
    """The ``NO_COLOR`` filter: no colour at all, and no alert turned into a dim grey."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else plain_style(style, background), None)
            for text, style, _ in segments
        ]


# the one instance the app uses (the filter holds no state)
PLAIN_COLOURS = PlainColours()
