"""What every careers answer says about its evidence, in one shape (portability, career paths,
plans, succession): ``evidence_status`` (the weakest stated), ``illustrative`` and ``notice``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.domain.text import N_
from app.domain.vocab import EvidenceStatus, weakest_status
from app.services.messages import Words

ILLUSTRATIVE_NOTICE = N_(
    "Illustrative: this answer rests on illustrative data (job profiles, requirements or "
    "courses invented for demonstration); it shows the method, not a real career rule."
)


def evidence_members(statuses: Iterable[str | None], lang: str = "en") -> dict[str, Any]:
    """The members, the notice in ``lang`` (the answers that take ``lang=``)."""
    evidence = weakest_status(list(statuses))
    illustrative = evidence == EvidenceStatus.ILLUSTRATIVE
    return {"evidence_status": evidence, "illustrative": illustrative,
            "notice": Words(lang)(ILLUSTRATIVE_NOTICE) if illustrative else None}
