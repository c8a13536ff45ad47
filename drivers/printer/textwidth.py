"""Display width of text on a thermal printer (CJK = 2 columns) and wrapping by that width."""

from __future__ import annotations

import unicodedata

# Characters after which a line may not start (Chinese line-breaking rule, 避头标点).
_NO_LINE_START = set("，。、；：！？）】》」』”’…—,.;:!?)]}%")


def char_width(ch: str) -> int:
    """Columns one character takes in font A (12 x 24 dots). Wide and full-width forms take two;
    so do "ambiguous" ones (“”…—·□): a GB18030 printer font draws every double-byte character
    24 dots wide, and that is what our paper shows."""
    if ord(ch) < 0x80:
        return 1
    if unicodedata.combining(ch):
        return 0
    return 1 if unicodedata.east_asian_width(ch) in ("H", "Na") else 2


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Split into breakable units: ASCII words stay whole, each CJK character stands alone."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Wrap to `width` columns; continuation lines get `indent` spaces. Never returns an overlong
    line: a word wider than the line is split by character."""
    if width <= indent:
        raise ValueError(f"wrap width {width} must exceed indent {indent}")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for token in _tokens(paragraph):
            if display_width(current) + display_width(token) <= width:
                current += token
                continue
            if token.isspace():
                lines.append(current.rstrip())
                current = " " * indent
                continue
            if token in _NO_LINE_START and current.strip():
                # Keep closing punctuation with the previous character: move that one down too.
                moved = current[-1]
                lines.append(current[:-1].rstrip())
                current = " " * indent + moved + token
                continue
            if current.strip():
                lines.append(current.rstrip())
                current = " " * indent
            while display_width(current) + display_width(token) > width:
                # A single token wider than the line: break it by character.
                room = width - display_width(current)
                cut = 0
                used = 0
                while cut < len(token) and used + char_width(token[cut]) <= room:
                    used += char_width(token[cut])
                    cut += 1
                lines.append(current + token[:cut])
                current = " " * indent
                token = token[cut:]
            current += token
        lines.append(current.rstrip())
    return lines
