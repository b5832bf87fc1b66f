"""Authentication and account security end to end (S1–S5): login, lockout, throttle, sessions, OTP."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillcert import urls as root_urls
from skillcert.core import throttle
from skillcert.core.errors import RuleViolation
from skillcert.core.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT
from skillcert.core.models import AuditEvent, User
from skillcert.core.models.accounts import Role
from skillcert.core.services import auth as auth_services
from tests.base import AccessCase, login
from tests.factories import UserFactory, grant

PASSWORD = "Skill-Pass-2026"  # tests.factories.UserFactory's default


def probe(request: HttpRequest) -> HttpResponse:
    return HttpResponse("probe ok")


# This module doubles as the URLconf of the tests below: the core URLs plus a page that always answers 200,
# so the middleware is tested without depending on any other view.
urlpatterns = [path("probe/", probe), *root_urls.urlpatterns]
PROBE = "/probe/"
LOGIN = "/login/"

_CSRF = re.compile(rb"\b[A-Za-z0-9]{64}\b")  # masked CSRF tokens, different in every response


def _body(response: HttpResponse) -> bytes:
    return _CSRF.sub(b"", response.content)


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def _events(action: str, **filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("seq"))


def _post_login(client: Client, username: str, password: str, **extra: str) -> HttpResponse:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _age_session(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


@override_settings(ROOT_URLCONF=__name__)
class TestLogin(AccessCase):
    def test_login_page_is_chinese(self) -> None:
        response = self.client.get(LOGIN)
        assert response.status_code == 200
        assert "登录名" in response.content.decode() and "密码" in response.content.decode()

    def test_success_goes_home_and_is_audited(self) -> None:
        response = _post_login(self.client, "t_owner", PASSWORD)
        assert response.status_code == 302 and response["Location"] == reverse("core:home")
        [event] = _events("auth.login")
        assert event.actor_id == self.w.users["owner"].pk and event.outcome == "ok"

    def test_safe_next_is_followed_and_foreign_next_ignored(self) -> None:
        assert (
            _post_login(Client(), "t_owner", PASSWORD, QUERY_STRING="next=/probe/")["Location"] == "/probe/"
        )
        response = Client().post(
            LOGIN, {"username": "t_owner", "password": PASSWORD, "next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("core:home")

    def test_wrong_password_and_unknown_name_answer_alike(self) -> None:
        wrong = _post_login(Client(), "t_owner", "Wrong-Pass-2026")
        unknown = _post_login(Client(), "t_nobody", "Wrong-Pass-2026")
        assert wrong.status_code == unknown.status_code == 200
        assert "登录名或密码不正确" in wrong.content.decode()
        # Same page apart from the echoed name and the per-response CSRF token (S5).
        assert _body(wrong).replace(b"t_owner", b"X") == _body(unknown).replace(b"t_nobody", b"X")
        failures = _events("auth.login_failed")
        assert [e.actor_name for e in failures] == ["t_owner", "t_nobody"]
        assert failures[0].object_id == str(self.w.users["owner"].pk) and failures[1].object_id == ""

    def test_inactive_account_answers_like_a_wrong_password(self) -> None:
        User.objects.filter(pk=self.w.users["staff"].pk).update(is_active=False)
        response = _post_login(Client(), "t_staff", PASSWORD)
        assert response.status_code == 200 and "登录名或密码不正确" in response.content.decode()

    def test_five_failures_lock_for_thirty_minutes_and_are_audited(self) -> None:
        client = Client()
        for _ in range(4):
            assert _post_login(client, "t_owner", "Wrong-Pass-2026").status_code == 200
        locked = _post_login(client, "t_owner", "Wrong-Pass-2026")
        assert locked.status_code == 403
        text = locked.content.decode()
        assert "30 分钟后重试" in text and "管理员" in text
        # Locked: even the right password is refused, and the lockout is one audit event.
        assert _post_login(client, "t_owner", PASSWORD).status_code == 403
        [lockout] = _events("auth.lockout")
        assert lockout.actor_name == "t_owner" and lockout.outcome == "locked"
        assert lockout.summary == {"failures": 5, "minutes": 30}
        assert _events("auth.login_failed")[-1].summary == {"reason": "locked"}
        # 29 minutes later still locked; 31 minutes later the right password works.
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=29))
        assert _post_login(client, "t_owner", PASSWORD).status_code == 403
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
        assert _post_login(client, "t_owner", PASSWORD).status_code == 302

    def test_unknown_name_is_locked_out_alike(self) -> None:
        known, unknown = Client(), Client()
        for _ in range(5):
            last_known = _post_login(known, "t_owner", "Wrong-Pass-2026")
            last_unknown = _post_login(unknown, "t_nobody", "Wrong-Pass-2026")
        assert last_known.status_code == last_unknown.status_code == 403
        assert _body(last_known) == _body(last_unknown)

    def test_success_resets_the_failure_count(self) -> None:
        client = Client()
        for _ in range(4):
            _post_login(client, "t_owner", "Wrong-Pass-2026")
        assert _post_login(client, "t_owner", PASSWORD).status_code == 302
        assert _post_login(Client(), "t_owner", "Wrong-Pass-2026").status_code == 200  # counting starts again

    @override_settings(LOGIN_IP_THROTTLE_PER_HOUR=3)
    def test_ip_throttle(self) -> None:
        here, elsewhere = {"REMOTE_ADDR": "10.1.2.3"}, {"REMOTE_ADDR": "10.9.9.9"}
        for name in ("a1", "a2", "a3"):  # different names: no lockout, only the per-IP count grows
            assert _post_login(Client(), name, "Wrong-Pass-2026", **here).status_code == 200
        client = Client()
        throttled = _post_login(client, "t_owner", PASSWORD, **here)
        assert throttled.status_code == 429 and "_auth_user_id" not in client.session
        assert "失败次数过多" in throttled.content.decode()
        assert _events("auth.login_throttled")[0].summary == {"reason": "throttled"}
        assert _post_login(Client(), "t_owner", PASSWORD, **elsewhere).status_code == 302
        assert throttle.ip_throttled(ip="10.1.2.3")
        assert not throttle.ip_throttled(ip="10.1.2.3", now=timezone.now() + timedelta(minutes=61))

    def test_logout_is_post_only_and_deletes_the_session_row(self) -> None:
        client = Client()
        client.force_login(self.w.users["owner"])
        key = client.session.session_key
        assert Session.objects.filter(session_key=key).exists()
        assert client.get("/logout/").status_code == 405
        response = client.post("/logout/")
        assert response.status_code == 302 and response["Location"] == reverse("core:login")
        assert not Session.objects.filter(session_key=key).exists()
        assert _events("auth.logout")[-1].summary == {"reason": "user"}

    def test_lockout_page_names_the_wait_and_the_admin(self) -> None:
        from skillcert.core.views.auth import lockout_response

        request = RequestFactory().post(LOGIN, {"username": "x"})
        request.user = AnonymousUser()
        response = lockout_response(request, None, {"username": "x"})
        assert response.status_code == 403 and "30 分钟后重试" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
class TestSessionPolicy(AccessCase):
    def _client(self, persona: str) -> Client:
        client = Client()
        login(client, User.objects.get(pk=self.w.users[persona].pk))
        return client

    def test_staff_idle_timeout_logs_out(self) -> None:
        client = self._client("owner")
        assert client.get(PROBE).status_code == 200
        key = client.session.session_key
        _age_session(client, SESSION_SEEN_AT, 31 * 60)
        response = client.get(PROBE)
        assert response.status_code == 302 and response["Location"] == "/login/?next=%2Fprobe%2F"
        assert not Session.objects.filter(session_key=key).exists()
        assert _events("auth.logout")[-1].summary == {"reason": "idle_timeout"}
        assert "会话已超时" in client.get(response["Location"]).content.decode()

    def test_activity_keeps_the_session(self) -> None:
        client = self._client("owner")
        _age_session(client, SESSION_SEEN_AT, 29 * 60)
        assert client.get(PROBE).status_code == 200
        assert int(time.time()) - client.session[SESSION_SEEN_AT] < 5  # the idle clock restarted

    def test_candidates_have_no_idle_limit(self) -> None:
        client = self._client("candidate")
        _age_session(client, SESSION_SEEN_AT, 3 * 3600)
        assert client.get(PROBE).status_code == 200

    def test_absolute_lifetime_applies_to_everyone(self) -> None:
        for persona in ("candidate", "owner"):
            client = self._client(persona)
            _age_session(client, SESSION_AUTH_AT, 12 * 3600 + 60)
            assert client.get(PROBE)["Location"].startswith("/login/")

    def test_htmx_requests_get_a_client_redirect(self) -> None:
        client = self._client("owner")
        _age_session(client, SESSION_SEEN_AT, 31 * 60)
        response = client.get(PROBE, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and response["HX-Redirect"].startswith("/login/")

    def test_api_and_static_are_exempt(self) -> None:
        User.objects.filter(pk=self.w.users["owner"].pk).update(must_change_password=True)
        client = self._client("owner")
        assert (
            client.get("/api/v1/nothing-here").status_code == 404
        )  # reached the URL resolver, not redirected

    def test_initial_password_forces_the_change_page_then_works(self) -> None:
        user = grant(
            UserFactory(
                username="newbie",
                organisation=self.w.ent_a,
                password="Init-Pass-2026",
                must_change_password=True,
            ),
            Role.EXAM_STAFF,
        )
        client = Client()
        assert _post_login(client, "newbie", "Init-Pass-2026").status_code == 302
        response = client.get(PROBE)
        assert response["Location"] == "/password/?next=%2Fprobe%2F"
        page = client.get(response["Location"]).content.decode()
        assert "只能使用一次" in page and "至少 3 类" in page
        # Weak, mismatched and wrong-current passwords are refused with reasons.
        weak = client.post(
            "/password/",
            {"old_password": "Init-Pass-2026", "new_password1": "newbie2026", "new_password2": "newbie2026"},
        )
        assert weak.status_code == 200 and "易被猜到" in weak.content.decode()
        wrong = client.post(
            "/password/",
            {"old_password": "nope", "new_password1": "Tq7!mB2#kx", "new_password2": "Tq7!mB2#kx"},
        )
        assert "当前密码不正确" in wrong.content.decode()
        done = client.post(
            "/password/?next=/probe/",
            {"old_password": "Init-Pass-2026", "new_password1": "Tq7!mB2#kx", "new_password2": "Tq7!mB2#kx"},
        )
        assert done.status_code == 302 and done["Location"] == "/probe/"
        user.refresh_from_db()
        assert not user.must_change_password and user.check_password("Tq7!mB2#kx")
        assert user.password_changed_at and timezone.now() - user.password_changed_at < timedelta(minutes=1)
        assert _events("auth.password_change")[-1].summary == {"reason": "initial"}
        assert client.get(PROBE).status_code == 200  # same session, still valid

    def test_initial_password_works_once(self) -> None:
        grant(
            UserFactory(
                username="once",
                organisation=self.w.ent_a,
                password="Init-Pass-2026",
                must_change_password=True,
            ),
            Role.CANDIDATE,
        )
        client = Client()
        assert _post_login(client, "once", "Init-Pass-2026").status_code == 302
        client.post("/logout/")
        again = _post_login(client, "once", "Init-Pass-2026")
        assert again.status_code == 200 and "只能登录一次" in again.content.decode()
        assert "_auth_user_id" not in client.session
        assert _events("auth.login_failed")[-1].summary == {"reason": "initial_password_spent"}

    def test_expired_password_for_staff_only(self) -> None:
        old = timezone.now() - timedelta(days=91)
        User.objects.filter(pk__in=[self.w.users["owner"].pk, self.w.users["candidate"].pk]).update(
            password_changed_at=old
        )
        staff = self._client("owner").get(PROBE)
        assert staff.status_code == 302 and staff["Location"].startswith("/password/")
        assert self._client("candidate").get(PROBE).status_code == 200
        page = self._client("owner").get("/password/").content.decode()
        assert "超过 90 天" in page

    def test_password_change_is_not_a_way_round_the_second_factor(self) -> None:
        client = Client()
        client.force_login(self.w.users["city"])
        TOTPDevice.objects.create(user=self.w.users["city"], name="phone", confirmed=True)
        assert client.get("/password/")["Location"].startswith("/otp/verify/")


@override_settings(ROOT_URLCONF=__name__)
class TestSecondFactor(AccessCase):
    def _half_logged_in(self, persona: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(pk=self.w.users[persona].pk))  # password only, no second factor
        return client

    def test_authority_without_device_is_sent_to_setup(self) -> None:
        response = self._half_logged_in("city").get(PROBE)
        assert response.status_code == 302 and response["Location"] == "/otp/setup/?next=%2Fprobe%2F"

    def test_all_otp_roles_are_held_to_it(self) -> None:
        for persona in ("city_admin", "province", "sysadmin", "secadmin", "auditadmin"):
            assert self._half_logged_in(persona).get(PROBE)["Location"].startswith("/otp/setup/"), persona
        assert (
            self._half_logged_in("owner").get(PROBE).status_code == 200
        )  # enterprise staff: not (yet) required

    def test_with_device_is_sent_to_verify_and_cannot_enrol_another(self) -> None:
        TOTPDevice.objects.create(user=self.w.users["city"], name="phone", confirmed=True)
        client = self._half_logged_in("city")
        assert client.get(PROBE)["Location"] == "/otp/verify/?next=%2Fprobe%2F"
        assert client.get("/otp/setup/")["Location"].startswith("/otp/verify/")
        assert TOTPDevice.objects.filter(user=self.w.users["city"]).count() == 1

    def test_correct_code_passes_and_wrong_code_does_not(self) -> None:
        device = TOTPDevice.objects.create(user=self.w.users["city"], name="phone", confirmed=True)
        client = self._half_logged_in("city")
        valid = {_code(device, offset=o) for o in (-1, 0, 1)}
        wrong = next(f"{n:06d}" for n in range(1, 10) if f"{n:06d}" not in valid)
        refused = client.post("/otp/verify/", {"token": wrong})
        assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_count=0
        )  # skip the 1-second back-off
        response = client.post("/otp/verify/?next=/probe/", {"token": _code(device)})
        assert response.status_code == 302 and response["Location"] == "/probe/"
        assert client.get(PROBE).status_code == 200
        assert [e.outcome for e in _events("auth.otp_verify")] == ["denied", "ok"]

    def test_repeated_wrong_codes_are_slowed_down(self) -> None:
        device = TOTPDevice.objects.create(user=self.w.users["city"], name="phone", confirmed=True)
        client = self._half_logged_in("city")
        client.post("/otp/verify/", {"token": "000000" if _code(device) != "000000" else "111111"})
        again = client.post("/otp/verify/", {"token": _code(device)})
        assert "秒后再试" in again.content.decode()

    def test_enrolment_shows_qr_and_key_then_confirms(self) -> None:
        client = self._half_logged_in("city")
        page = client.get("/otp/setup/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'src="data:image/svg+xml;base64,' in html
        device = TOTPDevice.objects.get(user=self.w.users["city"], confirmed=False)
        import base64

        secret = base64.b32encode(device.bin_key).decode()
        assert secret[:4] in html and secret[-4:] in html
        assert client.get("/otp/setup/").status_code == 200
        assert TOTPDevice.objects.filter(user=self.w.users["city"]).count() == 1  # a reload keeps the secret
        response = client.post("/otp/setup/", {"token": _code(device)})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(PROBE).status_code == 200  # the enrolment also verified this session
        assert _events("auth.otp_enrol")[-1].outcome == "ok"

    def test_password_change_comes_before_the_second_factor(self) -> None:
        User.objects.filter(pk=self.w.users["city"].pk).update(must_change_password=True)
        assert self._half_logged_in("city").get(PROBE)["Location"].startswith("/password/")

    @override_settings(OTP_REQUIRED=False)
    def test_otp_can_be_switched_off(self) -> None:
        assert self._half_logged_in("city").get(PROBE).status_code == 200

    def test_the_shared_test_login_passes_the_policy(self) -> None:
        for persona in ("city", "sysadmin", "owner", "candidate"):
            assert self.client_for(persona).get(PROBE).status_code == 200, persona


class TestAdminServices(AccessCase):
    def test_reset_sets_a_one_time_password_and_lifts_the_lockout(self) -> None:
        for _ in range(5):
            _post_login(Client(), "t_staff", "Wrong-Pass-2026")
        assert AccessAttempt.objects.filter(username="t_staff").exists()
        staff = auth_services.password_reset(
            actor=self.w.users["owner"], user=self.w.users["staff"], new_password="Tq7!mB2#kx"
        )
        assert staff.must_change_password and not AccessAttempt.objects.filter(username="t_staff").exists()
        assert _events("auth.password_reset")[-1].actor_id == self.w.users["owner"].pk

    def test_reset_is_refused_across_tenants_and_for_oneself(self) -> None:
        for actor, target in (("outsider", "staff"), ("owner", "owner"), ("staff", "candidate")):
            try:
                auth_services.password_reset(
                    actor=self.w.users[actor], user=self.w.users[target], new_password="Tq7!mB2#kx"
                )
            except RuleViolation:
                continue
            raise AssertionError(f"{actor} reset {target}")

    def test_otp_reset_by_system_admin(self) -> None:
        TOTPDevice.objects.create(user=self.w.users["city"], name="phone", confirmed=True)
        assert auth_services.otp_reset(actor=self.w.users["sysadmin"], user=self.w.users["city"]) == 1
        assert not TOTPDevice.objects.filter(user=self.w.users["city"]).exists()
