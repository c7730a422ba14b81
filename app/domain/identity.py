"""Identity of what institutions own: codes are theirs, so they are scoped.

A programme is identified by (institution, code) and a course by (institution, programme,
code): two universities may both call a programme ``P1``. The graph keeps that identity in
the node's ``code`` as a derived key, ``INSTITUTION/PROGRAMME`` or
``INSTITUTION/PROGRAMME/COURSE`` (unique, like every ``code``), and the institution's own
code in ``local_code``. Everything that names a programme or course (routes, uploads, IRIs
``/id/programme/{institution}/{code}``, CASE identifiers) is built from these functions.
"""

from __future__ import annotations

SEPARATOR = "/"


def programme_key(institution: str, code: str) -> str:
    return f"{institution}{SEPARATOR}{code}"


def course_key(institution: str, programme: str, code: str) -> str:
    return f"{institution}{SEPARATOR}{programme}{SEPARATOR}{code}"


def parts(key: str) -> list[str]:
    """The segments of a scoped key (``["EXU", "P1"]``)."""
    return key.split(SEPARATOR)


def local_code(key: str) -> str:
    """The owner's own code: the last segment."""
    return key.rsplit(SEPARATOR, 1)[-1]
