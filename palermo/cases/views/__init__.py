"""Thin views of the case record, one module per area; they call services and selectors only."""
