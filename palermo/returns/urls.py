"""Returns screens: the case page section and its forms, a sent package's file, the inbox of received
packages and the register of partner keys. Case references and record ids only in URLs."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.core.routes import REFERENCE, routes
from palermo.returns.views import packages, section
from palermo.returns.web import INBOX_ROLES, KEY_ROLES

app_name = "returns"
urlpatterns: list = routes(
    "",
    [
        ("packages/", packages.inbox, "inbox"),
        ("packages/<int:pk>/", packages.received, "received"),
        ("packages/<int:pk>/decline/", packages.decline, "decline"),
        ("partner-keys/", packages.partner_keys, "partner_keys"),
        ("partner-keys/<int:pk>/revoke/", packages.partner_key_revoke, "partner_key_revoke"),
    ],
) + routes(
    REFERENCE,
    [
        ("", section.returns_section, "section"),
        ("sent/<int:pk>/", section.package_token, "package_token"),
        ("<slug:slug>/", section.returns_action, "action"),
        ("<slug:slug>/<int:pk>/", section.returns_action_on, "action_on"),
    ],
)

register(NavItem(_("Packages from abroad"), "returns:inbox", frozenset(INBOX_ROLES)))
register(NavItem(_("Partner keys"), "returns:partner_keys", frozenset(KEY_ROLES)))
