"""Errors a person reads: each names the rule it enforces."""

from __future__ import annotations


class RuleViolation(Exception):
    """A request refused by a rule of the guideline (R-number) or of security (S-number)."""

    def __init__(self, rule: str, message: str, *, field: str | None = None) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.message}（{self.rule}）" if self.rule else self.message
