"""Every page type of the portal, by who sees it: the address of one example of each."""

PUBLIC = {
    "landing": "{public}/",
    "signup": "{public}/signup/",
    "public-login": "{public}/accounts/login/",
    "password-reset": "{public}/accounts/password-reset/",
    "help": "{public}/help/",
    "help-search": "{public}/help/?q=CNAME",
    "help-topic": "{public}/help/sage-bob/",
    "firm-login": "{host}/accounts/login/",
}

STAFF = {
    "dashboard": "{host}/dashboard/",
    "dossier-list": "{host}/dossiers/",
    "dossier-add": "{host}/dossiers/add/",
    "dossier-import": "{host}/dossiers/import/",
    "dossier": "{host}/dossiers/{dossier}/",
    "customers": "{host}/dossiers/{dossier}/customers/",
    "customer-add": "{host}/dossiers/{dossier}/customers/add/",
    "documents": "{host}/dossiers/{dossier}/documents/",
    "sales-form": "{host}/dossiers/{dossier}/documents/new/",
    "document": "{host}/dossiers/{dossier}/documents/{document}/",
    "quick-entry": "{host}/dossiers/{dossier}/quick-entry/",
    "bank-tab": "{host}/dossiers/{dossier}/bank/",
    "bank-account": "{host}/dossiers/{dossier}/bank/{account}/",
    "firm-bank-accounts": "{host}/bank-accounts/",
    "dossier-integrations": "{host}/dossiers/{dossier}/integrations/",
    "export": "{host}/dossiers/{dossier}/export/",
    "profile": "{host}/settings/profile/",
    "team": "{host}/settings/team/",
    "branding": "{host}/settings/branding/",
    "integrations": "{host}/settings/integrations/",
    "help-in-firm": "{host}/help/held-back/",
}

ENTREPRENEUR = {
    "entrepreneur-home": "{host}/my/",
    "entrepreneur-dossier": "{host}/my/{dossier}/",
}

# The main pages, photographed at 1366 px and 390 px into docs/screenshots/.
SCREENSHOTS = {
    "landing",
    "signup",
    "firm-login",
    "help-topic",
    "dashboard",
    "dossier-list",
    "dossier",
    "sales-form",
    "documents",
    "export",
    "dossier-integrations",
    "branding",
    "entrepreneur-dossier",
}


def address(template: str, ui_firm) -> str:
    return template.format(
        public=ui_firm.public,
        host=ui_firm.host,
        dossier=ui_firm.dossier_id,
        document=ui_firm.document_id,
        account=ui_firm.account_id,
    )
