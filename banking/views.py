"""The Bank tab of a dossier (accounts, CODA upload, statements, movements) and the firm-wide list of bank
accounts. Open to the firm's staff and the dossier's entrepreneur through `dossier_view`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import PortalError
from dossiers.access import dossier_view
from dossiers.contact_views import SECTIONS
from firms.permissions import Permission, has_permission, permission_required, require

from . import services
from .forms import BankAccountForm, CodaUploadForm, ConnectionForm
from .gaps import gaps_for_accounts, gaps_for_dossier
from .models import BankAccount, CodaStatement, Connection, Source

PAGE_SIZE = 50


def _context(dossier, **extra) -> dict:
    return {"dossier": dossier, "sections": SECTIONS.values(), "tab": "bank", **extra}


@dossier_view
def bank_tab(request, dossier):
    """The dossier's accounts with their CODA status and gaps; add an account; upload CODA files."""
    upload = CodaUploadForm(prefix="upload")
    # How an account is connected decides whether its statements are exported: the firm's decision.
    may_connect = has_permission(request, Permission.DECIDE)
    add = BankAccountForm(prefix="add", may_connect=may_connect)
    results = []
    if request.method == "POST" and "upload" in request.POST:
        upload = CodaUploadForm(request.POST, request.FILES, prefix="upload")
        if upload.is_valid():
            for file in upload.cleaned_data["files"]:
                results.append(
                    (file.name, services.ingest_coda(dossier, file.read(), file.name, request.user, Source.UPLOAD))
                )
    elif request.method == "POST" and "add" in request.POST:
        add = BankAccountForm(request.POST, prefix="add", may_connect=may_connect)
        if add.is_valid():
            data = add.cleaned_data
            try:
                account = services.add_account(
                    dossier,
                    data["iban"],
                    currency=data["currency"],
                    bic=data["bic"],
                    bank_name=data["bank_name"],
                    connection_kind=data.get("connection") or Connection.UPLOAD,
                    actor=request.user,
                )
            except PortalError as error:
                add.add_error("iban", error.message)
            else:
                messages.success(request, _("Account %(iban)s was added.") % {"iban": account.iban_display})
                return redirect("bank_tab", dossier.pk)
    accounts = list(services.accounts_with_status(dossier.pk))
    gaps = gaps_for_dossier(dossier.pk)
    for account in accounts:
        account.gaps = [gap for gap in gaps if gap.account_id == account.pk]
    return render(
        request,
        "banking/accounts.html",
        _context(dossier, accounts=accounts, gaps=gaps, upload=upload, add=add, results=results),
    )


def _account(dossier, account_id) -> BankAccount:
    return get_object_or_404(services.accounts_with_status(dossier.pk), pk=account_id)


@dossier_view
def account_detail(request, dossier, account_id):
    """An account's statements, newest first, with its gaps; change how it is connected."""
    account = _account(dossier, account_id)
    form = ConnectionForm(request.POST or None, instance=account)
    if request.method == "POST":
        require(request, Permission.DECIDE)
        if form.is_valid():
            services.change_connection(
                account,
                form.cleaned_data["connection"],
                request.user,
                bic=form.cleaned_data["bic"],
                bank_name=form.cleaned_data["bank_name"],
            )
            messages.success(request, _("The account was saved."))
            return redirect("bank_account", dossier.pk, account.pk)
        account.refresh_from_db()  # the form keeps what was typed; the page shows what is stored
    page = Paginator(account.statements.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    gaps = [gap for gap in gaps_for_dossier(dossier.pk) if gap.account_id == account.pk]
    return render(request, "banking/account.html", _context(dossier, account=account, page=page, gaps=gaps, form=form))


def _statement(dossier, account_id, statement_id) -> CodaStatement:
    return get_object_or_404(
        CodaStatement.objects.filter(account__dossier=dossier, account_id=account_id).select_related("account"),
        pk=statement_id,
    )


@dossier_view
def statement_detail(request, dossier, account_id, statement_id):
    statement = _statement(dossier, account_id, statement_id)
    return render(
        request,
        "banking/statement.html",
        _context(dossier, account=statement.account, statement=statement, movements=statement.movements.all()),
    )


@dossier_view
def statement_download(request, dossier, account_id, statement_id):
    """The statement's original CODA bytes."""
    statement = _statement(dossier, account_id, statement_id)
    name = f"{statement.account.iban}-{statement.year}-{statement.number:03d}.cod"
    return FileResponse(
        statement.file.open("rb"), as_attachment=True, content_type="application/octet-stream", filename=name
    )


@permission_required(Permission.WORK)
def firm_accounts(request):
    """Every bank account of every dossier with its CODA status and gaps, paged."""
    page = Paginator(services.accounts_with_status(), PAGE_SIZE).get_page(request.GET.get("page"))
    accounts = list(page.object_list)
    gaps = gaps_for_accounts([account.pk for account in accounts])
    for account in accounts:
        account.gaps = [gap for gap in gaps if gap.account_id == account.pk]
    return render(request, "banking/firm_accounts.html", {"page": page, "accounts": accounts})
