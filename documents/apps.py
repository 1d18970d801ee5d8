from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from dossiers.linking import DATA_MOVERS

        from .moving import move_documents

        DATA_MOVERS["documents"] = move_documents
