"""The rounds API router (mounted at /api/v1/rounds/)."""

from ninja import Router

router = Router(tags=["rounds"])
