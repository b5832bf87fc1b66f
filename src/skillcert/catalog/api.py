"""The catalog API router (mounted at /api/v1/catalog/)."""

from ninja import Router

router = Router(tags=["catalog"])
