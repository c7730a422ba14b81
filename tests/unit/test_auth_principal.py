"""Who may write what: the pure ownership rules behind every write route."""

from __future__ import annotations

import pytest

from app.domain.auth import Principal, valid_role


def test_an_institution_key_writes_only_its_own_institution() -> None:
    key = Principal("k1", "institution:EXU")
    assert key.institution == "EXU" and key.administration is None and not key.is_admin
    assert key.may_write_institution("EXU")
    assert not key.may_write_institution("INST-RTU")
    assert not key.may_write_administration("EXU")
    assert not key.may_review()


def test_an_administration_key_writes_only_its_own_administration() -> None:
    key = Principal("k2", "administration:ADM-A")
    assert key.administration == "ADM-A" and key.institution is None
    assert key.may_write_administration("ADM-A") and not key.may_write_administration("ADM-B")
    assert not key.may_write_institution("ADM-A")


def test_an_admin_writes_everything_and_reviews() -> None:
    key = Principal("k3", "admin")
    assert key.is_admin and key.may_review()
    assert key.may_write_institution("ANY") and key.may_write_administration("ANY")


def test_a_reviewer_reviews_but_owns_nothing() -> None:
    key = Principal("k4", "reviewer")
    assert key.may_review() and not key.is_admin
    assert not key.may_write_institution("EXU") and not key.may_write_administration("ADM-A")


@pytest.mark.parametrize("role", ["admin", "reviewer", "institution:EXU", "administration:ADM-A"])
def test_known_roles_are_valid(role: str) -> None:
    assert valid_role(role)


@pytest.mark.parametrize("role", ["", "root", "institution:", "institution:a b", "Admin",
                                  "institution:EXU'}) DETACH DELETE n //"])
def test_other_roles_are_refused(role: str) -> None:
    assert not valid_role(role)
