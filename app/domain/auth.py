"""Principals and what they may do: pure rules, no framework, no store.

A key carries one role: ``admin``, ``reviewer``, ``institution:{code}`` or
``administration:{code}``. Reads are public; every write needs a principal whose role owns the
target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.vocab import SCOPED_ROLES, UNSCOPED_ROLES, RoleKind

ROLE_PATTERN = re.compile(
    "^(" + "|".join(UNSCOPED_ROLES) + "|(" + "|".join(SCOPED_ROLES) + r"):[A-Za-z0-9_.:-]{1,100})$")


def valid_role(role: str) -> bool:
    return bool(ROLE_PATTERN.match(role or ""))


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str  # "admin" | "reviewer" | "institution:{code}" | "administration:{code}"

    def _scoped(self, kind: RoleKind) -> str | None:
        prefix = f"{kind}:"
        return self.role[len(prefix):] if self.role.startswith(prefix) else None

    @property
    def is_admin(self) -> bool:
        return self.role == RoleKind.ADMIN

    @property
    def institution(self) -> str | None:
        return self._scoped(RoleKind.INSTITUTION)

    @property
    def administration(self) -> str | None:
        return self._scoped(RoleKind.ADMINISTRATION)

    def may_write_institution(self, code: str) -> bool:
        own = self.institution
        return self.is_admin or (own is not None and own.lower() == (code or "").lower())

    def may_write_administration(self, code: str) -> bool:
        own = self.administration
        return self.is_admin or (own is not None and own.lower() == (code or "").lower())

    def may_review(self) -> bool:
        return self.is_admin or self.role == RoleKind.REVIEWER
