"""What the justice pages and API share: the area's parts as the case page names them."""

from __future__ import annotations

from palermo.access.matrix import JusticePart

PART_ORDER = (
    JusticePart.RISK,
    JusticePart.PROCEEDINGS,
    JusticePart.CHOICES,
    JusticePart.COMPENSATION,
    JusticePart.NON_PUNISHMENT,
)
