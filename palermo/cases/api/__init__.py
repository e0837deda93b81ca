"""REST API of the case record, one module per area; the same services and selectors as the views."""
