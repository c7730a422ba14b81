"""How a framework stands towards the EQF: the vocabulary of ``Framework.referencing_status``.

One place for the values, so the seed catalog that checks them, the API that filters on them
and the explorer that shows them cannot disagree.
"""

from __future__ import annotations

REFERENCING_STATUSES: dict[str, str] = {
    "verified": "referenced to the EQF; every seeded EQF mapping is verified",
    "partly_verified": "referenced to the EQF; its EQF mappings are partly verified",
    "unverified": "referenced to the EQF; no seeded EQF mapping is verified",
    "no_level_table": "referenced to the EQF (year known); the level table is not in the graph",
    "comparison": "compared with the EQF in a joint study, not referenced",
    "none": "no EQF link is seeded",
}
