"""The enrollment API router (mounted at /api/v1/enrollment/)."""

from ninja import Router

router = Router(tags=["enrollment"])
