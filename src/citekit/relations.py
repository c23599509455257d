"""Relations between documents, as people read them: "replaced by 377-QĐ/TW on 8-10-2025"."""

from __future__ import annotations

from citekit.citation import vn_date
from citekit.model import Relation, RelationType

_RELATION_WORDS = {
    RelationType.REPLACED_BY: "replaced by",
    RelationType.REPLACES: "replaces",
    RelationType.AMENDED_BY: "amended by",
    RelationType.AMENDS: "amends",
    RelationType.GUIDED_BY: "guided by",
    RelationType.GUIDES: "guides",
}


def relation_text(relation: Relation) -> str:
    """A relation for people: "replaced by 377-QĐ/TW on 8-10-2025"."""
    words = _RELATION_WORDS.get(relation.type)
    if words is None:  # a plan the source states, with what it says
        about = relation.target or relation.note or ""
        return f"{relation.type.value}: {about}" if about else relation.type.value
    target = relation.target or "?"
    if relation.target_date:
        target += f" of {vn_date(relation.target_date)}"
    on = relation.date if relation.date and relation.date != relation.target_date else None
    return f"{words} {target}" + (f" on {vn_date(on)}" if on else "")
