"""The portal's pages: the public ones (palermo.portal.views.public) and the duty workers' (staff)."""
