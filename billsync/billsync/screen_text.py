"""The configuration screen's words in Dutch (first), French and English, and the system's language."""

import locale
import os

LANGUAGES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Billsync-configuratie",
        "tab_config": "Configuratie",
        "tab_key": "API-sleutel",
        "tab_status": "Status",
        "portal_url": "Adres van het portaal",
        "portal_url_help": "Het openbare adres van het portaal, bv. https://portaal.kantoor.be.",
        "folder": "Doelmap",
        "folder_help": "De map met je BOB-dossiers, bv. C:\\BOB50DATA of een netwerkmap \\\\server\\share\\BOB50DATA.",
        "choose": "Kies een map…",
        "network_help": "Een netwerkmap werkt als de account die Billsync uitvoert (de service-account) er mag "
        "schrijven; meld de share eenmaal aan met die account (net use) als er een wachtwoord nodig is.",
        "layout": "Sage BOB-indeling",
        "layout_help": "Billsync schrijft per dossier (REF is de BOB-dossierreferentie uit het portaal) in:",
        "layout_purchases": "aankoopfacturen en -creditnota's",
        "layout_sales": "verkoopfacturen en -creditnota's",
        "layout_coda": "bankafschriften (CODA)",
        "save": "Opslaan",
        "saved": "Opgeslagen.",
        "url_invalid": "Geef een adres dat begint met http:// of https://.",
        "folder_ok": "De map bestaat en Billsync kan erin schrijven.",
        "folder_empty": "Geef de doelmap op.",
        "folder_missing": "Deze map bestaat niet. Maak ze aan of kies de map met je BOB-dossiers.",
        "folder_not_dir": "Dit is een bestand, geen map.",
        "folder_readonly": "Billsync kan in deze map niet schrijven (een testbestand lukte niet)",
        "key": "Billsync-sleutel",
        "key_help": "Een eigenaar van het kantoor maakt de sleutel aan in het portaal: Instellingen → Integraties.",
        "key_current": "Huidige sleutel",
        "key_none": "nog geen sleutel",
        "key_check": "Controleren en opslaan",
        "key_format": "Dit is geen Billsync-sleutel: die begint met bsk_ en is 56 tekens lang.",
        "key_refused": "Het portaal weigert deze sleutel (verkeerd of ingetrokken). Maak een nieuwe in het portaal.",
        "key_first_url": "Vul eerst het adres van het portaal in op het tabblad Configuratie.",
        "connected_to": "Verbonden met {firm}",
        "unreachable": "Het portaal op {url} is niet bereikbaar: {error}",
        "refused": "Het portaal weigert de verbinding: {error}",
        "connection": "Verbinding",
        "not_configured": "Nog niet ingesteld: vul het adres, de map en de sleutel in.",
        "last_run": "Laatste synchronisatie",
        "no_run": "Nog geen synchronisatie.",
        "delivered_today": "Vandaag geleverd",
        "delivered_total": "Totaal geleverd",
        "failures": "Mislukt",
        "no_failures": "Geen mislukte bestanden bij de laatste synchronisatie.",
        "next_poll": "Volgende controle",
        "no_service": "geen achtergronddienst actief (billsync service install)",
        "log": "Logboek (laatste 50 regels)",
        "sync_now": "Nu synchroniseren",
        "sync_running": "Bezig met synchroniseren…",
        "sync_done": "Klaar",
        "update": "Update beschikbaar: versie {latest} (je hebt {current}).",
        "download": "Downloaden",
        "refused_request": "Geweigerd: open het adres dat billsync ui toonde (met het token).",
        "up": "Hoger",
        "use_folder": "Deze map gebruiken",
        "language": "Taal",
        "version": "Versie",
    },
    "fr": {
        "title": "Configuration de Billsync",
        "tab_config": "Configuration",
        "tab_key": "Clé API",
        "tab_status": "Statut",
        "portal_url": "Adresse du portail",
        "portal_url_help": "L'adresse publique du portail, p. ex. https://portail.cabinet.be.",
        "folder": "Dossier cible",
        "folder_help": "Le dossier de vos dossiers BOB, p. ex. C:\\BOB50DATA ou un dossier réseau "
        "\\\\serveur\\partage\\BOB50DATA.",
        "choose": "Choisir un dossier…",
        "network_help": "Un dossier réseau convient si le compte qui exécute Billsync (le compte du service) peut y "
        "écrire ; connectez le partage une fois avec ce compte (net use) s'il demande un mot de passe.",
        "layout": "Structure Sage BOB",
        "layout_help": "Pour chaque dossier (REF est la référence du dossier BOB dans le portail), Billsync écrit "
        "dans :",
        "layout_purchases": "factures et notes de crédit d'achat",
        "layout_sales": "factures et notes de crédit de vente",
        "layout_coda": "extraits bancaires (CODA)",
        "save": "Enregistrer",
        "saved": "Enregistré.",
        "url_invalid": "Indiquez une adresse qui commence par http:// ou https://.",
        "folder_ok": "Le dossier existe et Billsync peut y écrire.",
        "folder_empty": "Indiquez le dossier cible.",
        "folder_missing": "Ce dossier n'existe pas. Créez-le ou choisissez le dossier de vos dossiers BOB.",
        "folder_not_dir": "C'est un fichier, pas un dossier.",
        "folder_readonly": "Billsync ne peut pas écrire dans ce dossier (un fichier de test a échoué)",
        "key": "Clé Billsync",
        "key_help": "Un propriétaire du cabinet crée la clé dans le portail : Paramètres → Intégrations.",
        "key_current": "Clé actuelle",
        "key_none": "pas encore de clé",
        "key_check": "Vérifier et enregistrer",
        "key_format": "Ce n'est pas une clé Billsync : elle commence par bsk_ et compte 56 caractères.",
        "key_refused": "Le portail refuse cette clé (erronée ou révoquée). Créez-en une nouvelle dans le portail.",
        "key_first_url": "Indiquez d'abord l'adresse du portail dans l'onglet Configuration.",
        "connected_to": "Connecté à {firm}",
        "unreachable": "Le portail à l'adresse {url} est injoignable : {error}",
        "refused": "Le portail refuse la connexion : {error}",
        "connection": "Connexion",
        "not_configured": "Pas encore configuré : indiquez l'adresse, le dossier et la clé.",
        "last_run": "Dernière synchronisation",
        "no_run": "Pas encore de synchronisation.",
        "delivered_today": "Livrés aujourd'hui",
        "delivered_total": "Livrés au total",
        "failures": "Échecs",
        "no_failures": "Aucun fichier en échec lors de la dernière synchronisation.",
        "next_poll": "Prochaine vérification",
        "no_service": "aucun service en arrière-plan (billsync service install)",
        "log": "Journal (50 dernières lignes)",
        "sync_now": "Synchroniser maintenant",
        "sync_running": "Synchronisation en cours…",
        "sync_done": "Terminé",
        "update": "Mise à jour disponible : version {latest} (vous avez {current}).",
        "download": "Télécharger",
        "refused_request": "Refusé : ouvrez l'adresse affichée par billsync ui (avec le jeton).",
        "up": "Remonter",
        "use_folder": "Utiliser ce dossier",
        "language": "Langue",
        "version": "Version",
    },
    "en": {
        "title": "Billsync configuration",
        "tab_config": "Configuration",
        "tab_key": "API key",
        "tab_status": "Status",
        "portal_url": "Portal address",
        "portal_url_help": "The portal's public address, e.g. https://portal.firm.be.",
        "folder": "Target folder",
        "folder_help": "The folder that holds your BOB dossiers, e.g. C:\\BOB50DATA or a network folder "
        "\\\\server\\share\\BOB50DATA.",
        "choose": "Choose a folder…",
        "network_help": "A network folder works when the account that runs Billsync (the service's account) may "
        "write there; connect the share once under that account (net use) if it asks for a password.",
        "layout": "Sage BOB layout",
        "layout_help": "For each dossier (REF is the BOB dossier reference set in the portal) Billsync writes into:",
        "layout_purchases": "purchase invoices and credit notes",
        "layout_sales": "sales invoices and credit notes",
        "layout_coda": "bank statements (CODA)",
        "save": "Save",
        "saved": "Saved.",
        "url_invalid": "Give an address that starts with http:// or https://.",
        "folder_ok": "The folder exists and Billsync can write there.",
        "folder_empty": "Give the target folder.",
        "folder_missing": "This folder does not exist. Create it or choose the folder that holds your BOB dossiers.",
        "folder_not_dir": "This is a file, not a folder.",
        "folder_readonly": "Billsync cannot write in this folder (a test file failed)",
        "key": "Billsync key",
        "key_help": "An owner of the firm creates the key in the portal: Settings → Integrations.",
        "key_current": "Current key",
        "key_none": "no key yet",
        "key_check": "Check and save",
        "key_format": "This is not a Billsync key: it starts with bsk_ and is 56 characters long.",
        "key_refused": "The portal refuses this key (wrong or revoked). Create a new one in the portal.",
        "key_first_url": "First enter the portal's address on the Configuration tab.",
        "connected_to": "Connected to {firm}",
        "unreachable": "The portal at {url} cannot be reached: {error}",
        "refused": "The portal refuses the connection: {error}",
        "connection": "Connection",
        "not_configured": "Not set up yet: enter the address, the folder and the key.",
        "last_run": "Last sync",
        "no_run": "No sync yet.",
        "delivered_today": "Delivered today",
        "delivered_total": "Delivered in total",
        "failures": "Failed",
        "no_failures": "No failed files in the last sync.",
        "next_poll": "Next check",
        "no_service": "no background service running (billsync service install)",
        "log": "Log (last 50 lines)",
        "sync_now": "Sync now",
        "sync_running": "Syncing…",
        "sync_done": "Done",
        "update": "Update available: version {latest} (you have {current}).",
        "download": "Download",
        "refused_request": "Refused: open the address billsync ui printed (with its token).",
        "up": "Up",
        "use_folder": "Use this folder",
        "language": "Language",
        "version": "Version",
    },
}


def system_language(environ: dict[str, str] | None = None) -> str:
    """nl, fr or en from the environment (LC_ALL, LC_MESSAGES, LANG, LANGUAGE) or the system locale (on Windows
    `Dutch_Belgium`…); English when it is none of the three."""
    environ = dict(os.environ) if environ is None else environ
    candidates = [environ.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    candidates = [name for name in candidates if name and name not in ("C", "POSIX", "C.UTF-8")]
    if not candidates:
        try:
            candidates.append(locale.getlocale()[0] or "")
        except ValueError:
            pass
    for candidate in candidates:
        name = candidate.lower()
        if name.startswith(("nl", "dutch")):
            return "nl"
        if name.startswith(("fr", "french")):
            return "fr"
        if name.startswith(("en", "english")):
            return "en"
    return "en"


def text(language: str, key: str, **values: object) -> str:
    words = TEXT.get(language, TEXT["en"]).get(key) or TEXT["en"][key]
    return words.format(**values) if values else words
