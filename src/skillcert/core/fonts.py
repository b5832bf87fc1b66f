"""Which characters of a name the certificate font cannot print (R9.2: those are written by hand and sealed)."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

__all__ = ["CERTIFICATE_FONT", "FontNotFoundError", "font_codepoints", "font_file", "unprintable_chars"]

CERTIFICATE_FONT = "Noto Serif CJK SC"

# Characters that need no glyph of their own: spaces, and selectors that only pick a variant of
# the preceding character (if the font lacks the variant, the base character still prints).
_NO_GLYPH_NEEDED = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0)) | {0x200D}


class FontNotFoundError(LookupError):
    """The requested font family is not installed (Debian package fonts-noto-cjk)."""

    def __init__(self, family: str, detail: str = "") -> None:
        self.family = family
        super().__init__(f"未安装字体“{family}”（Debian 软件包 fonts-noto-cjk）{detail}")


@functools.cache
def font_file(family: str) -> Path:
    """The file fontconfig uses for ``family``; refuse a fallback to another family."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontNotFoundError(family, "：找不到 fc-match（fontconfig）")
    result = subprocess.run(  # noqa: S603 — fixed executable, family is passed as one argument
        [fc_match, "-f", "%{file}\n%{family}", family],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 2:
        raise FontNotFoundError(family)
    path, families = Path(lines[0]), {name.strip() for name in lines[1].split(",")}
    # fc-match always answers with *some* font; only an exact family match counts.
    if family not in families or not path.is_file():
        raise FontNotFoundError(family)
    return path


@functools.cache
def font_codepoints(family: str = CERTIFICATE_FONT) -> frozenset[int]:
    """Unicode code points the face ``family`` maps to a glyph (cached per process: fonts do not change)."""
    from fontTools.ttLib import TTCollection, TTFont

    path = font_file(family)
    with path.open("rb") as fh:
        is_collection = fh.read(4) == b"ttcf"
    faces = TTCollection(str(path), lazy=True).fonts if is_collection else [TTFont(str(path), lazy=True)]
    for face in faces:
        names = face["name"]
        if family in {names.getDebugName(16), names.getDebugName(1)}:
            cmap = face.getBestCmap() or {}
            return frozenset(cmap)
    raise FontNotFoundError(family, f"：{path} 中没有该字体")


def unprintable_chars(text: str, font: str = CERTIFICATE_FONT) -> list[str]:
    """The distinct characters of ``text`` the font has no glyph for, in order of first appearance.

    An empty list means the name prints as is; otherwise those characters must be written by hand.
    Raises FontNotFoundError if the font is not installed.
    """
    covered = font_codepoints(font)
    missing: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp in covered or cp in _NO_GLYPH_NEEDED or ch.isspace() or ch in missing:
            continue
        missing.append(ch)
    return missing
