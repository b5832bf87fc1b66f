"""API token pages: list, create (the plaintext is shown once), revoke. Organisation admins only (S6)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from skillcert.core import access, selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, add_rule_error
from skillcert.core.models import User
from skillcert.core.services import tokens as token_services


class TokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("用途"),
        max_length=80,
        help_text=gettext_lazy("写明哪个系统用它、做什么，如“人力资源系统同步员工”。"),
    )


def _manager(request: HttpRequest) -> User:
    """The signed-in organisation admin; anyone else gets the same 404 as a missing page."""
    if not token_services.may_manage_tokens(user=request.user):
        raise Http404
    return cast(User, request.user)


@require_GET
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    # Active tokens first (NULL revoked_at sorts differently in SQLite and PostgreSQL, so say it).
    tokens = selectors.api_token_list(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at"
    )
    org = user.organisation
    context = {
        "tokens": tokens,
        "organisation": org,
        "principal_role": token_services.principal_role(org).label if org else "",
    }
    return render(request, "core/tokens/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = user.organisation
        if org is None:  # may_manage_tokens requires one; keeps the type checker informed
            raise Http404
        try:
            token, plaintext = token_services.api_token_create(
                actor=user, organisation=org, name=form.cleaned_data["name"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            # Rendered, not redirected: the plaintext must not travel through a session or a URL.
            response = render(request, "core/tokens/created.html", {"token": token, "plaintext": plaintext})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "core/tokens/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    token = access.get_or_404(selectors.api_token_list(user=user), pk)
    if request.method == "POST":
        try:
            token_services.api_token_revoke(actor=user, token=token)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("令牌“%(name)s”已吊销，使用它的请求将被拒绝。") % {"name": token.name}
            )
        return redirect("core:token_list")
    return render(request, "core/tokens/revoke.html", {"token": token})
