"""Password policy (S1): character classes, context words, and when a password must be changed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from skillcert.core.models import User

CharClass = Literal["upper", "lower", "digit", "symbol"]
ALL_CLASSES: tuple[CharClass, ...] = ("upper", "lower", "digit", "symbol")


def char_class(ch: str) -> CharClass | None:
    """The class of one character by its Unicode category; letters without case (汉字) count as none."""
    category = unicodedata.category(ch)
    if category in {"Lu", "Lt"}:
        return "upper"
    if category == "Ll":
        return "lower"
    if category == "Nd":
        return "digit"
    if category[0] in {"P", "S"} or category == "Zs":
        return "symbol"
    return None


def character_classes(password: str) -> frozenset[CharClass]:
    return frozenset(c for c in map(char_class, password) if c is not None)


class CharacterClassValidator:
    """At least `min_classes` of upper case, lower case, digits and symbols (等保 8.1.4.1 a)."""

    def __init__(self, min_classes: int = 3) -> None:
        if not 1 <= min_classes <= len(ALL_CLASSES):
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        found = len(character_classes(password))
        if found < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊符号中的至少 %(min)d 类，当前只有 %(found)d 类。"),
                code="password_too_few_classes",
                params={"min": self.min_classes, "found": found},
            )

    def get_help_text(self) -> str:
        return _("须包含大写字母、小写字母、数字、特殊符号中的至少 %(min)d 类。") % {"min": self.min_classes}


# Words that make a password guessable on this platform whoever the user is.
DEFAULT_CONTEXT_WORDS: tuple[str, ...] = ("skillcert", "password", "admin", "qwerty", "jineng", "pingjia")
# Common substitutions ("P@ssw0rd"); "1" is tried both as i and as l.
_LEET = str.maketrans(
    {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}
)
_SPLIT = re.compile(r"[\s._@\-+·]+")


def _variants(text: str) -> set[str]:
    lowered = text.casefold()
    mapped = lowered.translate(_LEET)
    variants = {lowered, mapped.replace("1", "i"), mapped.replace("1", "l")}
    # "pass word", "pass.word": separators do not hide a word.
    return variants | {re.sub(r"[\W_]+", "", v) for v in variants}


def _is_cjk(word: str) -> bool:
    return any(unicodedata.category(ch) == "Lo" for ch in word)


class ContextPasswordValidator:
    """Refuses passwords containing the login name, the person's or organisation's name, or platform words."""

    def __init__(self, words: Iterable[str] | None = None, min_word_length: int = 3) -> None:
        self.words = tuple(DEFAULT_CONTEXT_WORDS if words is None else words)
        self.min_word_length = min_word_length

    def context_words(self, user: User | None) -> list[str]:
        raw: list[str] = list(self.words)
        if user is not None:
            raw += [
                getattr(user, "username", "") or "",
                getattr(user, "display_name", "") or "",
                getattr(user, "first_name", "") or "",
                getattr(user, "last_name", "") or "",
                (getattr(user, "email", "") or "").partition("@")[0],
            ]
            org = user.organisation if getattr(user, "organisation_id", None) else None
            if org is not None:
                raw += [org.name, org.short_name]
        words: set[str] = set()
        for item in raw:
            item = item.strip().casefold()
            for part in [item, *_SPLIT.split(item)]:
                # Two Chinese characters are a name (张三); two Latin letters are noise.
                shortest = 2 if _is_cjk(part) else self.min_word_length
                if len(part) >= shortest:
                    words.add(part)
        return sorted(words, key=len, reverse=True)

    def validate(self, password: str, user: User | None = None) -> None:
        variants = _variants(password)
        for word in self.context_words(user):
            if any(word in v for v in variants):
                raise ValidationError(
                    _("密码含有易被猜到的词语“%(word)s”（登录名、姓名、单位名称或常见词），请换一个。"),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return _(
            "不能包含登录名、姓名、单位名称，或“skillcert”“password”等易被猜到的词语，也不能是常见弱密码。"
        )


ChangeReason = Literal["initial", "expired"]


def password_expired(user: User, *, now: datetime | None = None) -> bool:
    """Staff passwords expire after PASSWORD_MAX_AGE_DAYS; an unknown change date counts as expired (S1)."""
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if max_age <= 0 or not user.is_staff_account:
        return False
    if user.password_changed_at is None:
        return True
    return (now or timezone.now()) - user.password_changed_at > timedelta(days=max_age)


def password_change_reason(user: User, *, now: datetime | None = None) -> ChangeReason | None:
    """Why this account must change its password before doing anything else, if it must."""
    if user.must_change_password:
        return "initial"
    if password_expired(user, now=now):
        return "expired"
    return None
