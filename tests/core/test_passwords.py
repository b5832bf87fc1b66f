"""Password policy (S1): character classes, context words, the full validator chain, and forced changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from skillcert.core.models import Organisation, OrgKind, User
from skillcert.core.models.accounts import Role
from skillcert.core.passwords import (
    CharacterClassValidator,
    ContextPasswordValidator,
    character_classes,
    password_change_reason,
    password_expired,
)
from tests.factories import OrganisationFactory, UserFactory, grant

ALPHABETS = {
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "digit": "0123456789",
    "symbol": "!@#$%^&*()-_=+[]{};:'\",.<>/?`~|\\ ",
}
UNCLASSED = "技能评价等级认定张三李四"  # letters without case count as no class


def _enterprise(**fields: object) -> Organisation:
    city = OrganisationFactory(kind=OrgKind.CITY, name="济南市人力资源和社会保障局")
    org: Organisation = OrganisationFactory.create(authority=city, **fields)
    return org


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- character classes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", {"lower"}),
        ("ABCdef12", {"upper", "lower", "digit"}),
        ("ab-cd 12", {"lower", "digit", "symbol"}),
        ("技能Ab1!", {"upper", "lower", "digit", "symbol"}),
        ("技能评价", set()),
    ],
)
def test_character_classes(password: str, classes: set[str]) -> None:
    assert character_classes(password) == classes


def test_three_classes_accepted_two_rejected_with_chinese_message() -> None:
    validator = CharacterClassValidator(min_classes=3)
    validator.validate("Abcdefg1")
    validator.validate("abcdefg1!")
    with pytest.raises(ValidationError) as exc:
        validator.validate("abcdefg12")
    assert "至少 3 类" in _messages(exc) and "当前只有 2 类" in _messages(exc)
    assert "至少 3 类" in validator.get_help_text()


def test_min_classes_out_of_range_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="min_classes"):
        CharacterClassValidator(min_classes=5)


@st.composite
def _password_with_classes(draw: st.DrawFn, classes: list[str]) -> str:
    """A password using exactly `classes` (each at least once), padded with class-less characters."""
    chars = [draw(st.sampled_from(ALPHABETS[c])) for c in classes]
    pool = "".join(ALPHABETS[c] for c in classes) + UNCLASSED
    chars += draw(st.lists(st.sampled_from(pool), min_size=0, max_size=20))
    return "".join(draw(st.permutations(chars)))


@given(
    min_classes=st.integers(1, 4),
    data=st.data(),
)
def test_fewer_classes_than_required_is_always_rejected(min_classes: int, data: st.DataObject) -> None:
    used = data.draw(st.lists(st.sampled_from(list(ALPHABETS)), unique=True, max_size=min_classes - 1))
    password = data.draw(_password_with_classes(used))
    with pytest.raises(ValidationError):
        CharacterClassValidator(min_classes=min_classes).validate(password)


@given(min_classes=st.integers(1, 4), data=st.data())
def test_enough_classes_always_pass_the_class_rule(min_classes: int, data: st.DataObject) -> None:
    used = data.draw(st.lists(st.sampled_from(list(ALPHABETS)), unique=True, min_size=min_classes))
    password = data.draw(_password_with_classes(used))
    CharacterClassValidator(min_classes=min_classes).validate(password)


# --- context words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Skillcert#2026", "My-P@ssw0rd-9", "pass.WORD.2026x", "Adm1n!2026zz", "Qwerty!2026"],
)
def test_platform_words_rejected(password: str) -> None:
    with pytest.raises(ValidationError) as exc:
        ContextPasswordValidator().validate(password)
    assert "易被猜到" in _messages(exc)


@pytest.mark.django_db
def test_account_context_rejected() -> None:
    org = _enterprise(name="济南重工测试有限公司", short_name="济南重工")
    user = User(username="zhang.wei", display_name="张伟", email="zw@example.cn", organisation=org)
    validator = ContextPasswordValidator()
    for password in ["Zhang.Wei#88", "xx-ZHANG-wei-9", "张伟Ab12!", "济南重工Ab1!", "Zw#zhang99"]:
        with pytest.raises(ValidationError):
            validator.validate(password, user)
    validator.validate("Tq7!mB2#kx", user)
    validator.validate("Wei#2026", User(username="li"))  # a two-letter Latin name is not a context word


def test_context_validator_accepts_unrelated_password_without_user() -> None:
    ContextPasswordValidator().validate("Tq7!mB2#kx")


# --- the configured chain ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!x", "8"),  # too short
        ("abcdefgh12", "至少 3 类"),
        ("qq123456", "常见"),  # on the common-password list
        ("Skillcert!2026", "易被猜到"),
    ],
)
def test_configured_policy_rejects_with_chinese_messages(password: str, fragment: str) -> None:
    org = _enterprise()
    user = User(username="wangfang", display_name="王芳", organisation=org)
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert fragment in _messages(exc)


@pytest.mark.django_db
def test_configured_policy_accepts_a_good_password() -> None:
    user = User(username="wangfang", display_name="王芳", organisation=_enterprise())
    validate_password("Tq7!mB2#kx", user)


def test_policy_is_explained_in_chinese() -> None:
    texts = " ".join(password_validators_help_texts())
    assert "至少 3 类" in texts and "登录名" in texts


# --- forced changes ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_change_reasons() -> None:
    org = _enterprise()
    now = timezone.now()
    old = now - timedelta(days=91)
    staff = grant(UserFactory(organisation=org, password_changed_at=old), Role.EXAM_STAFF)
    candidate = grant(UserFactory(organisation=org, password_changed_at=old), Role.CANDIDATE)
    fresh_staff = grant(
        UserFactory(organisation=org, password_changed_at=now - timedelta(days=89)), Role.EXAM_STAFF
    )
    unknown_date = grant(UserFactory(organisation=org, password_changed_at=None), Role.ASSESSOR)
    initial = grant(UserFactory(organisation=org, must_change_password=True), Role.CANDIDATE)

    assert password_change_reason(staff, now=now) == "expired"
    assert password_change_reason(candidate, now=now) is None  # expiry is for staff only
    assert password_change_reason(fresh_staff, now=now) is None
    assert password_expired(unknown_date, now=now)
    assert password_change_reason(initial, now=now) == "initial"


@pytest.mark.django_db
def test_expiry_can_be_turned_off(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 0  # type: ignore[attr-defined]
    staff = grant(
        UserFactory(organisation=_enterprise(), password_changed_at=timezone.now() - timedelta(days=400)),
        Role.EXAM_STAFF,
    )
    assert not password_expired(staff)
