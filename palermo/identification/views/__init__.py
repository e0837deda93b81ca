"""Identification screens, one module per area. Thin: reads through selectors, writes through services."""
