"""The origin area's write path: country information entries, partners, citations, import and export."""
