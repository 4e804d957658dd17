"""The knowledge files, by one name: what `agent.knowledge.loading`, `brands`, `script_library` and
`order_records` define, re-exported.

Kept so that modules still importing from here (agent.drafting.offline, agent.triage.rules,
agent.graph.nodes.plan, agent.review) work unchanged while they are being reworked elsewhere; new code
imports from the module that owns the name.
"""

from __future__ import annotations

from agent.knowledge.brands import (
    AlertChannel,
    Brand,
    BrandAccount,
    BrandAlerts,
    BrandReview,
    Certification,
    Policy,
    Product,
    Service,
    brand_fingerprint,
    load_brand,
)
from agent.knowledge.loading import (
    KnowledgeError,
    UnknownBrandError,
    brand_file,
    brands_dir,
    known_brands,
    load_yaml,
)
from agent.knowledge.order_records import ORDER_FIELDS, load_orders
from agent.knowledge.script_library import (
    NOT_TRIGGERS,
    AppealTemplate,
    ScriptLibrary,
    ScriptTemplate,
    load_script_library,
    mask_compounds,
)

__all__ = [
    "NOT_TRIGGERS", "ORDER_FIELDS", "AlertChannel", "AppealTemplate", "Brand", "BrandAccount", "BrandAlerts",
    "BrandReview", "Certification", "KnowledgeError", "Policy", "Product", "ScriptLibrary", "ScriptTemplate",
    "Service", "UnknownBrandError", "brand_file", "brand_fingerprint", "brands_dir", "known_brands", "load_brand",
    "load_orders", "load_script_library", "load_yaml", "mask_compounds",
]
