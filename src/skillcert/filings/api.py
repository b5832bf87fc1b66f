"""The filings API router (mounted at /api/v1/filings/)."""

from ninja import Router

router = Router(tags=["filings"])
