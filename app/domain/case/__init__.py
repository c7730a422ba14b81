"""1EdTech CASE (Competencies and Academic Standards Exchange): one model, two wire forms.

The model (``model``) says what the service publishes: documents (frameworks), their items
and associations, the item types and the licence notice of each document. ``v1p0`` and
``v1p1`` are thin serialisations of that one model into CASE 1.0 and CASE 1.1 JSON; they
differ only where the two specifications differ (1.1 adds ``caseVersion``,
``frameworkType``, ``extensions``, association ``notes``, ``targetType`` on node links, the
``isTranslationOf`` and ``ext:`` association types, and spells two error codes differently).
``listing`` applies the ``limit``/``offset``/``sort``/``orderBy``/``filter``/``fields``
parameters of ``getAllCFDocuments``; ``errors`` names the CASE error kinds version-neutrally.

Pure: no web framework, no database.
"""

from app.domain.case.errors import CaseError, Minor
from app.domain.case.identifiers import NAMESPACE, case_id
from app.domain.case.model import (
    Association,
    AssociationType,
    CaseGraph,
    Document,
    Item,
    ItemType,
    License,
    NodeRef,
    Package,
)

__all__ = ["NAMESPACE", "Association", "AssociationType", "CaseError", "CaseGraph", "Document",
           "Item", "ItemType", "License", "Minor", "NodeRef", "Package", "case_id"]
