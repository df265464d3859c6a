"""Text that a coach or visitor typed, made safe for headers and calendar properties.

Input is refused at the edge when it holds control characters; these guards make sure that
nothing stored earlier, or assembled from several fields, can still smuggle one into an email
header (a header injection) or an ICS property (a forged line).
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")
_CONTROLS_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]+")


def one_line(text: str) -> str:
    """``text`` with every run of control characters (newlines included) as one space."""
    return _CONTROLS.sub(" ", text).strip()


def lines(text: str) -> str:
    """``text`` with its line breaks kept as ``\\n`` and every other control character dropped."""
    return _CONTROLS_BUT_NEWLINE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
