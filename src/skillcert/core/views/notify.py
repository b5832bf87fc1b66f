"""Notification pages: the list under the bell, opening one, marking one or all read (htmx-friendly)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import selectors
from skillcert.core.http import AuthedRequest
from skillcert.core.services.notify import notification_mark_read

PAGE_SIZE = 30


@require_GET
@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notify/list.html", {"page": page, "notifications": page.object_list})


@require_POST
@login_required
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the notification read and follow its link (only to this site)."""
    notification = selectors.access_notification(user=request.user, pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("core:notifications")


@require_POST
@login_required
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = selectors.access_notification(user=request.user, pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    if getattr(request, "htmx", False):
        notification.refresh_from_db(fields=["read_at"])
        return render(request, "core/notify/_item_response.html", {"n": notification})
    return redirect("core:notifications")


@require_POST
@login_required
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)
    if getattr(request, "htmx", False):
        page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(1)
        return render(
            request, "core/notify/_list_response.html", {"page": page, "notifications": page.object_list}
        )
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("core:notifications")
