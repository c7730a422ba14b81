"""What each value of ``Framework.referencing_status`` (``app.domain.vocab.ReferencingStatus``)
means.

One place for the meanings, so the seed catalog that checks them, the API that filters on them
and the explorer that shows them cannot disagree.
"""

from __future__ import annotations

from app.domain.vocab import ReferencingStatus as R

REFERENCING_STATUSES: dict[R, str] = {
    R.VERIFIED: "referenced to the EQF; every seeded EQF mapping is verified",
    R.PARTLY_VERIFIED: "referenced to the EQF; its EQF mappings are partly verified",
    R.UNVERIFIED: "referenced to the EQF; no seeded EQF mapping is verified",
    R.NO_LEVEL_TABLE: "referenced to the EQF (year known); the level table is not in the graph",
    R.COMPARISON: "compared with the EQF in a joint study, not referenced",
    R.NONE: "no EQF link is seeded",
}
