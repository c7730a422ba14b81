"""The kept gzip forms: used only for the very body they were made from, whatever the ETag."""

from __future__ import annotations

import gzip

import pytest

from app.api.compression import CompressedBodies, accepts_gzip


def test_a_kept_form_is_used_only_for_the_body_it_was_made_from() -> None:
    """An answer resting on the graph can change under one ETag (another worker's write is
    seen by the read models before the graph state the ETag names): never the old bytes."""
    kept = CompressedBodies()
    key = ('W/"same-state"', "application/json")
    old, new = b'{"cells": 1}' * 5000, b'{"cells": 2}' * 5000
    kept.keep(key, old, gzip.compress(old))
    assert kept.get(key, bytes(old)) == gzip.compress(old)  # equal bytes: the kept form
    assert kept.get(key, new) is None  # another body under the same ETag: compress again
    kept.keep(key, new, gzip.compress(new))
    assert gzip.decompress(kept.get(key, new) or b"") == new


def test_the_kept_forms_stay_within_their_bound() -> None:
    kept = CompressedBodies(limit=3_000)
    for n in range(10):
        body = bytes([n]) * 1_000
        kept.keep((f'"{n}"', "text/plain"), body, gzip.compress(body))
    assert kept.get(('"9"', "text/plain"), bytes([9]) * 1_000) is not None
    assert kept.get(('"0"', "text/plain"), bytes([0]) * 1_000) is None  # dropped first


@pytest.mark.parametrize(("header", "accepted"), [
    ("gzip, deflate", True), ("br;q=1.0, gzip;q=0.5", True), ("*", True), ("x-gzip", True),
    ("gzip;q=0", False), ("identity", False), ("", False), (None, False), ("gzip;q=zero", False),
])
def test_accept_encoding_is_read_as_rfc_9110_says(header: str | None, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
