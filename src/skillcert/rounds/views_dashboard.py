"""The authority's dashboard page (issue 5): adjustments, plans and deadlines waiting in its jurisdiction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from skillcert.core import access
from skillcert.core.http import AuthedRequest
from skillcert.rounds import dashboard


@require_GET
@login_required
def authority_dashboard(request: AuthedRequest) -> HttpResponse:
    if not access.is_authority_staff(request.user):
        raise Http404
    return render(
        request,
        "rounds/dashboard.html",
        {"board": dashboard.authority_dashboard(user=request.user), "authority": request.user.organisation},
    )
