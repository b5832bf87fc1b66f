"""The printable announcement (认定公告) of a round, A4 PDF in the house print style."""

from __future__ import annotations

from skillcert.core.documents import render_pdf
from skillcert.rounds.announcement import Announcement


def notice_pdf(announcement: Announcement) -> bytes:
    return render_pdf("rounds/documents/notice.html", {"a": announcement})


def notice_filename(announcement: Announcement) -> str:
    return f"{announcement.enterprise_name}{announcement.round_name}认定公告.pdf"
