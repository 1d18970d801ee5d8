"""Shapes of the Billsync API's requests and answers (also what the OpenAPI schema shows)."""

from rest_framework import serializers

from exports.models import Kind

from .error_codes import ApiErrorCode, ItemOutcome
from .services import MAX_BUNDLE, MAX_PAGE

MAX_ID = 2**63 - 1  # PostgreSQL bigint


class ErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[code.value for code in ApiErrorCode], help_text="Stable error code.")
    message = serializers.CharField()


class FirmSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class FoldersSerializer(serializers.Serializer):
    purchases = serializers.CharField()
    sales = serializers.CharField()
    coda = serializers.CharField()


class DossierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    enterprise_number = serializers.CharField()
    folders = FoldersSerializer()


class AgentReleaseSerializer(serializers.Serializer):
    latest_version = serializers.CharField(
        allow_null=True, help_text="The newest agent version the portal offers (null: none built on this portal)."
    )
    download_url = serializers.CharField(help_text="The portal's page with the agent's downloads.")


class ConfigSerializer(serializers.Serializer):
    firm = FirmSerializer()
    key_name = serializers.CharField()
    dossiers = DossierSerializer(many=True)
    poll_interval = serializers.IntegerField(help_text="Seconds between polls.")
    lease_seconds = serializers.IntegerField(help_text="How long a download attempt holds an item.")
    agent = AgentReleaseSerializer(help_text="The latest agent and where to download it (no self-update).")


class HeartbeatSerializer(serializers.Serializer):
    version = serializers.CharField(max_length=40)
    hostname = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    root = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    free_bytes = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False, allow_null=True, default=None)
    last_error = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class HeartbeatAnswerSerializer(serializers.Serializer):
    status = serializers.CharField()
    poll_interval = serializers.IntegerField()


class ItemsQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, max_value=MAX_ID, default=0, help_text="Cursor: only items with a larger id."
    )
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dossier = serializers.IntegerField(source="dossier_id")
    kind = serializers.ChoiceField(choices=Kind.choices)
    path = serializers.CharField(help_text="Relative, `/`-separated target path under the agent's root.")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class ItemPageSerializer(serializers.Serializer):
    items = ItemSerializer(many=True)
    next = serializers.IntegerField(help_text="Pass as `after` for the next page.")
    has_more = serializers.BooleanField()


class LeaseRequestSerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, max_value=MAX_ID, default=0, help_text="Cursor: only items with a larger id."
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=100)


class LeasePageSerializer(serializers.Serializer):
    items = ItemSerializer(many=True)
    lease = serializers.CharField(
        help_text="The lease token of every item of this page: send it as "
        "`X-Billsync-Lease` with each download and with each acknowledgement."
    )
    lease_seconds = serializers.IntegerField(help_text="How long the lease holds (a download renews it).")
    next = serializers.IntegerField(help_text="Pass as `after` for the next page.")
    has_more = serializers.BooleanField()


class BundleRequestSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=MAX_BUNDLE,
        help_text="Items of the leased page, in the order wanted.",
    )


class AckSerializer(serializers.Serializer):
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", help_text="sha256 of the file as written.")
    lease = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The X-Billsync-Lease of the download this acknowledges.",
    )


class BatchAckItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", help_text="sha256 of the file as written.")
    lease = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The lease token the file was downloaded under.",
    )


class BatchAckSerializer(serializers.Serializer):
    items = BatchAckItemSerializer(many=True, allow_empty=False, max_length=MAX_PAGE)  # type: ignore[call-arg]  # ListSerializer's


class BatchAckResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=[
            ItemOutcome.DELIVERED,
            ItemOutcome.ALREADY_DELIVERED,
            ItemOutcome.IGNORED,
            ItemOutcome.SHA256_MISMATCH,
            ItemOutcome.NOT_FOUND,
        ]
    )


class BatchAckAnswerSerializer(serializers.Serializer):
    results = BatchAckResultSerializer(many=True, help_text="One per acknowledgement, in the order sent.")


class FailureSerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^[a-z][a-z0-9_]{0,59}$", help_text="e.g. permission_denied, disk_full, conflict, unsafe_path."
    )
    message = serializers.CharField(max_length=2000, allow_blank=True, default="")
    lease = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[ItemOutcome.DELIVERED, ItemOutcome.ALREADY_DELIVERED, ItemOutcome.FAILED, ItemOutcome.IGNORED]
    )


class FailureBatchItemSerializer(FailureSerializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class FailureBatchSerializer(serializers.Serializer):
    items = FailureBatchItemSerializer(many=True, allow_empty=False, max_length=MAX_PAGE)  # type: ignore[call-arg]  # ListSerializer's


class FailureBatchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=[ItemOutcome.FAILED, ItemOutcome.IGNORED, ItemOutcome.NOT_FOUND])


class FailureBatchAnswerSerializer(serializers.Serializer):
    results = FailureBatchResultSerializer(many=True, help_text="One per report, in the order sent.")
