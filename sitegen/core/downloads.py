"""Files offered for download: their format and size, as a page shows them ("PDF, 240 KB")."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = {
    "pdf": "PDF", "doc": "Word", "docx": "Word", "odt": "OpenDocument text", "ppt": "PowerPoint",
    "pptx": "PowerPoint", "odp": "OpenDocument slides", "xls": "Excel", "xlsx": "Excel", "ods": "OpenDocument spreadsheet",
    "csv": "CSV", "txt": "Text", "zip": "ZIP", "jpg": "JPEG image", "jpeg": "JPEG image", "png": "PNG image",
    "svg": "SVG image", "mp3": "MP3 audio", "mp4": "MP4 video", "rtf": "Rich text", "epub": "EPUB",
}


@dataclass(frozen=True)
class Download:
    url: str  # site path
    format: str  # "PDF"
    size: int  # bytes

    @property
    def label(self) -> str:
        return f"{self.format}, {human_size(self.size)}"


def file_format(url: str) -> str:
    ext = url.rsplit(".", 1)[-1].lower() if "." in url.rsplit("/", 1)[-1] else ""
    return FORMATS.get(ext, ext.upper() or "File")


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1000 * 1000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1000 / 1000:.1f} MB"
