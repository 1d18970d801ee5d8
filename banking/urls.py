"""Banking URLs on a firm's host."""

from django.urls import path

from . import views

urlpatterns = [
    path("bank-accounts/", views.firm_accounts, name="firm_bank_accounts"),
    path("dossiers/<int:dossier_id>/bank/", views.bank_tab, name="bank_tab"),
    path("dossiers/<int:dossier_id>/bank/<int:account_id>/", views.account_detail, name="bank_account"),
    path(
        "dossiers/<int:dossier_id>/bank/<int:account_id>/statements/<int:statement_id>/",
        views.statement_detail,
        name="bank_statement",
    ),
    path(
        "dossiers/<int:dossier_id>/bank/<int:account_id>/statements/<int:statement_id>/coda.cod",
        views.statement_download,
        name="bank_statement_download",
    ),
]
