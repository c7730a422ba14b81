"""``N_``: marks an English message that a presentation layer shows or translates later.

The explorer's message extraction (``babel.cfg``) collects every ``N_("...")`` in ``app/`` into
its gettext catalogues, so a sentence written once in English (for the API) is the msgid the
French page translates. Pure: no translation happens here."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel extracts
    """Returns ``message`` unchanged; only marks it for extraction."""
    return message
