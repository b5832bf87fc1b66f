"""The 2-inch application photo (R3.1) and upload sniffing: checks and resizing with Pillow, no Django.

A 2-inch (二寸) ID photo is 35 mm × 49 mm; at 300 dpi that is 413 × 579 pixels. An upload is
accepted when it is a JPEG or PNG of at most 5 MB whose width : height is within
``ASPECT_TOLERANCE`` of 35 : 49; it is then centre-cropped to the exact ratio, resized and stored
as a baseline JPEG without metadata (no EXIF: no camera, place or time leaves with the photo).
"""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image, ImageOps

MAX_PHOTO_BYTES: Final = 5 * 1024 * 1024
PHOTO_SIZE: Final = (413, 579)  # 2-inch at 300 dpi
ASPECT: Final = 35 / 49  # ≈ 0.714
ASPECT_TOLERANCE: Final = 0.06  # accepts 0.654–0.774: covers 3:4 phone crops and 33×48 mm prints
MIN_PHOTO_SIZE: Final = (200, 280)  # smaller prints blur
MAX_PHOTO_PIXELS: Final = 40_000_000  # refuse decompression bombs before decoding

MAX_DOCUMENT_BYTES: Final = 10 * 1024 * 1024
DOCUMENT_TYPES: Final = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


class UploadError(ValueError):
    """The upload is not an acceptable photo or document; the message is a Chinese sentence for the applicant."""


def sniff_type(data: bytes) -> str | None:
    """The content type by the file's first bytes (never by its name or the browser's claim)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def prepare_photo(data: bytes) -> bytes:
    """Check an uploaded photo and return it as a 413 × 579 JPEG at 300 dpi; raise UploadError if unfit."""
    if not data:
        raise UploadError("照片文件为空，请重新选择。")
    if len(data) > MAX_PHOTO_BYTES:
        raise UploadError("照片文件超过 5 MB 的上限，请压缩后重新上传。")
    kind = sniff_type(data)
    if kind not in ("image/jpeg", "image/png"):
        raise UploadError("照片须为 JPG 或 PNG 格式的图片文件。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in ("JPEG", "PNG"):
                raise UploadError("照片须为 JPG 或 PNG 格式的图片文件。")
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise UploadError("照片像素过大，请缩小后重新上传。")
            image.load()
    except UploadError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError("照片文件已损坏或无法识别，请重新上传。") from None
    # Phones store portrait shots sideways with an orientation tag; turn the pixels upright first.
    image = ImageOps.exif_transpose(image)
    width, height = image.size
    if width < MIN_PHOTO_SIZE[0] or height < MIN_PHOTO_SIZE[1]:
        raise UploadError(
            f"照片尺寸为 {width}×{height} 像素，过小；二寸照片应不小于 "
            f"{MIN_PHOTO_SIZE[0]}×{MIN_PHOTO_SIZE[1]} 像素（标准为 413×579 像素）。"
        )
    ratio = width / height
    if abs(ratio - ASPECT) > ASPECT_TOLERANCE:
        raise UploadError(
            f"照片宽高比为 {ratio:.2f}，不符合二寸照片（宽 35 毫米 × 高 49 毫米，约 0.71）的要求，"
            "请上传竖版的近期免冠证件照。"
        )
    if image.mode in ("RGBA", "LA", "P"):
        # A transparent PNG gets the white background of an ID photo.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    fitted = ImageOps.fit(image, PHOTO_SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    out = io.BytesIO()
    fitted.save(out, format="JPEG", quality=90, dpi=(300, 300), optimize=True)
    return out.getvalue()


def check_document(data: bytes) -> str:
    """The content type of an acceptable supporting document (PDF, JPEG or PNG, ≤ 10 MB); raise UploadError."""
    if not data:
        raise UploadError("文件为空，请重新选择。")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UploadError("文件超过 10 MB 的上限，请压缩或分页扫描后重新上传。")
    kind = sniff_type(data)
    if kind is None:
        raise UploadError("材料须为 PDF、JPG 或 PNG 格式的文件。")
    return kind
