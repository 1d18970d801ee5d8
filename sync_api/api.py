"""The Billsync API views (`/api/sync/v1/` on the public host): thin wrappers around sync_api.services."""

import json
from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import (
    FileResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.storage import redirect_url
from dossiers.models import Dossier
from exports.services import target_folders

from . import services
from .authentication import HasSyncKey, SyncKeyAuthentication, SyncKeyThrottle
from .downloads import latest_agent_version
from .error_codes import ApiErrorCode
from .parsers import JSONParser
from .serializers import (
    MAX_ID,
    AckSerializer,
    BatchAckAnswerSerializer,
    BatchAckSerializer,
    BundleRequestSerializer,
    ConfigSerializer,
    ErrorSerializer,
    FailureBatchAnswerSerializer,
    FailureBatchSerializer,
    FailureSerializer,
    HeartbeatAnswerSerializer,
    HeartbeatSerializer,
    ItemPageSerializer,
    ItemSerializer,
    ItemsQuerySerializer,
    LeasePageSerializer,
    LeaseRequestSerializer,
    StatusSerializer,
)

LEASE_HEADER = "X-Billsync-Lease"
BUNDLE_TYPE = "application/x-billsync-bundle"
CHUNK = 64 * 1024
OCTETS = "application/octet-stream"
ERRORS = {401: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer}


class SyncView(APIView):
    """Key-authenticated (no session, so no CSRF), throttled per key, JSON in and out; the connection is put
    back on the public schema after each request."""

    authentication_classes = [SyncKeyAuthentication]
    permission_classes = [HasSyncKey]
    throttle_classes = [SyncKeyThrottle]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            connection.set_schema_to_public()

    @property
    def key(self):
        return self.request.auth

    def ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR")

    @staticmethod
    def checked_id(item_id: int) -> int:
        if not 0 < item_id <= MAX_ID:
            raise services.SyncError(ApiErrorCode.NOT_FOUND, "No such item.", 404)
        return item_id


class ConfigView(SyncView):
    """The key's firm, its dossiers with their target folders (relative to the agent's root), the poll interval."""

    @extend_schema(
        operation_id="config",
        summary="The firm, its dossiers with their target folders, the poll interval",
        responses={200: ConfigSerializer, **ERRORS},
    )
    def get(self, request):
        firm = self.key.firm
        # Only dossiers with a Sage BOB reference have folders; nothing of the others is ever queued.
        dossiers = (
            Dossier.objects.filter(export_settings__bob_reference__gt="")
            .select_related("export_settings")
            .order_by("name", "pk")
        )
        data = {
            "firm": {"name": firm.name, "slug": firm.slug},
            "key_name": self.key.name,
            "dossiers": [
                {"id": d.pk, "name": d.name, "enterprise_number": d.enterprise_number, "folders": target_folders(d)}
                for d in dossiers
            ],
            "poll_interval": settings.SYNC_POLL_SECONDS,
            "lease_seconds": settings.SYNC_LEASE_SECONDS,
            "agent": {
                "latest_version": latest_agent_version(),
                "download_url": request.build_absolute_uri(reverse("billsync_downloads", urlconf="config.urls_public")),
            },
        }
        return Response(ConfigSerializer(data).data)


class HeartbeatView(SyncView):
    """Sent at the start of each run or poll; the portal shows it as the agent's connection status."""

    @extend_schema(
        operation_id="heartbeat",
        summary="The agent says it is alive, and how it is doing",
        request=HeartbeatSerializer,
        responses={200: HeartbeatAnswerSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request):
        form = HeartbeatSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.record_heartbeat(self.key, services.Heartbeat(**form.validated_data), ip=self.ip())
        return Response({"status": "ok", "poll_interval": settings.SYNC_POLL_SECONDS})


class ItemsView(SyncView):
    """Waiting items not held by another key, in id order after the `after` cursor; page on with `next`."""

    @extend_schema(
        operation_id="items",
        summary="Items waiting for delivery, in id order, after a cursor",
        parameters=[ItemsQuerySerializer],
        responses={200: ItemPageSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def get(self, request):
        query = ItemsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        items, has_more = services.pending_items(self.key, after, limit)
        return Response(
            {
                "items": ItemSerializer(items, many=True).data,
                "next": items[-1].pk if items else after,
                "has_more": has_more,
            }
        )


class LeaseView(SyncView):
    """Lease a page of waiting items for this key, in id order after the `after` cursor: one lease token for
    the page; no other key is offered or served these items while it holds. Page on with `next`."""

    @extend_schema(
        operation_id="items_lease",
        summary="Lease a page of waiting items (in id order, after a cursor) for delivery",
        request=LeaseRequestSerializer,
        responses={200: LeasePageSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request):
        form = LeaseRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        after = form.validated_data["after"]
        items, lease, has_more = services.lease_items(self.key, after, form.validated_data["limit"])
        return Response(
            {
                "items": items,
                "lease": lease,
                "lease_seconds": settings.SYNC_LEASE_SECONDS,
                "next": items[-1]["id"] if items else after,
                "has_more": has_more,
            }
        )


class BatchAckView(SyncView):
    """Several files are in place: each item is delivered, in one transaction (repeats are harmless; a wrong
    sha256 or a superseded lease leaves that item as it is, the others are delivered)."""

    @extend_schema(
        operation_id="items_ack",
        summary="Files are written: mark a batch of items delivered",
        request=BatchAckSerializer,
        responses={200: BatchAckAnswerSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request):
        form = BatchAckSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        acks = [services.Ack(entry["id"], entry["sha256"], entry["lease"]) for entry in form.validated_data["items"]]
        statuses = services.acknowledge_items(self.key, acks)
        results = [{"id": ack.id, "status": status} for ack, status in zip(acks, statuses, strict=True)]
        return Response({"results": results})


def bundle_frames(ids: list[int], served: dict) -> Iterator[bytes]:
    """The bundle's body: per id, in order, a JSON line `{"id", "size", "sha256"}` followed by exactly `size`
    bytes, or a JSON line `{"id", "error"}` (leased, not_pending, not_found, file_missing) and no bytes."""
    for item_id in ids:
        answer = served[item_id]
        if isinstance(answer, str):
            yield json.dumps({"id": item_id, "error": answer}).encode() + b"\n"
            continue
        name, sha256 = answer
        try:
            stored = default_storage.open(name, "rb")
        except FileNotFoundError:
            yield json.dumps({"id": item_id, "error": "file_missing"}).encode() + b"\n"
            continue
        with stored:
            size = stored.size
            head = json.dumps({"id": item_id, "size": size, "sha256": sha256}).encode() + b"\n"
            sent = 0
            while sent < size:
                chunk = stored.read(min(CHUNK, size - sent))
                if not chunk:  # the file shrank meanwhile: keep the framing, the agent's sha256 check refuses it
                    chunk = b"\0" * (size - sent)
                yield head + chunk if head else chunk
                head = b""
                sent += len(chunk)
            if head:
                yield head


class BundleView(SyncView):
    """The bytes of several items of a leased page in one answer (one request instead of one per file); each
    counts as a download attempt and renews its lease, as `items/{id}/content` with the lease does."""

    @extend_schema(
        operation_id="items_content",
        summary="Download several leased items' bytes in one stream",
        request=BundleRequestSerializer,
        parameters=[
            OpenApiParameter(
                LEASE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="The lease token of the leased page",
            )
        ],
        responses={
            (200, BUNDLE_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY,
                description='Per requested id, in order: a JSON line `{"id", "size", '
                '"sha256"}` followed by exactly `size` bytes, or a JSON line `{"id", "error"}` (`leased`, '
                "`not_pending`, `not_found`, `file_missing`) and no bytes.",
            ),
            400: ErrorSerializer,
            **ERRORS,
        },
    )
    def post(self, request):
        form = BundleRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(form.validated_data["ids"]))
        served = services.leased_files(self.key, ids, request.headers.get(LEASE_HEADER, ""))
        return StreamingHttpResponse(bundle_frames(ids, served), content_type=BUNDLE_TYPE)


class ContentView(SyncView):
    """The stored bytes, streamed. With `X-Billsync-Lease` (from a leased page) it checks and renews that
    lease; without, it takes a short lease for this key (token in the answer's `X-Billsync-Lease`)."""

    @extend_schema(
        operation_id="item_content",
        summary="Download an item's bytes (takes a short lease)",
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description='"<sha256>": answer 304 when the agent already has these bytes',
            ),
            OpenApiParameter(
                LEASE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The lease token of a leased page: download under it (409 "
                "`leased` when it was superseded) instead of taking a new lease",
            ),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=f'The file; `ETag: "<sha256>"`, `{LEASE_HEADER}`: the lease token '
                "to send with the acknowledgement.",
            ),
            302: OpenApiResponse(
                description="A large file in object storage: fetch it from `Location` (a pre-signed URL valid for "
                f"a minute, no Authorization header); `ETag` and `{LEASE_HEADER}` as for 200."
            ),
            304: OpenApiResponse(description="Not modified"),
            409: ErrorSerializer,
            410: ErrorSerializer,
            **ERRORS,
        },
    )
    def get(self, request, item_id: int):
        item_id = self.checked_id(item_id)
        if request.headers.get("If-None-Match"):
            item = services.get_item(item_id)
            etag = f'"{item.sha256}"'
            if etag in [tag.strip() for tag in request.headers["If-None-Match"].split(",")]:
                response: HttpResponseBase = HttpResponseNotModified()
                response["ETag"] = etag
                return response
        lease = request.headers.get(LEASE_HEADER, "")
        if lease:
            name, sha256 = services.leased_file(self.key, item_id, lease)
        else:
            item, lease = services.lease_item(self.key, item_id)
            name, sha256 = item.file, item.sha256
        etag = f'"{sha256}"'
        try:
            presigned = redirect_url(name)  # a large file in the bucket: fetched from there (the agent checks it)
            stored = None if presigned else default_storage.open(name, "rb")
        except FileNotFoundError:
            raise services.SyncError(
                ApiErrorCode.FILE_MISSING, "The stored file of this item is missing.", 410
            ) from None
        response = HttpResponseRedirect(presigned) if presigned else FileResponse(stored, content_type=OCTETS)
        response["ETag"] = etag
        response[LEASE_HEADER] = lease
        return response


class AckView(SyncView):
    """The file is in place with this sha256: the item is delivered (repeats are harmless)."""

    @extend_schema(
        operation_id="item_ack",
        summary="The file is written: mark the item delivered",
        request=AckSerializer,
        responses={200: StatusSerializer, 400: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
    )
    def post(self, request, item_id: int):
        form = AckSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        status = services.acknowledge_item(
            self.key, self.checked_id(item_id), form.validated_data["sha256"], form.validated_data["lease"]
        )
        return Response({"status": status})


class FailureView(SyncView):
    """The agent could not write the file (e.g. conflict, unsafe_path, disk_full): the item is failed."""

    @extend_schema(
        operation_id="item_failure",
        summary="The file could not be written: mark the item failed",
        request=FailureSerializer,
        responses={200: StatusSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request, item_id: int):
        form = FailureSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        status = services.report_failure(
            self.key, self.checked_id(item_id), data["code"], data["message"], data["lease"]
        )
        return Response({"status": status})


class FailureBatchView(SyncView):
    """Several files could not be written: each item is failed with its code and message, in one transaction
    (a superseded attempt or an item no longer waiting is ignored, the others are failed)."""

    @extend_schema(
        operation_id="items_failures",
        summary="Files could not be written: mark a batch of items failed",
        request=FailureBatchSerializer,
        responses={200: FailureBatchAnswerSerializer, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request):
        form = FailureBatchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        reports = [
            services.FailureReport(entry["id"], entry["code"], entry["message"], entry["lease"])
            for entry in form.validated_data["items"]
        ]
        statuses = services.report_failures(self.key, reports)
        return Response({"results": [{"id": r.id, "status": s} for r, s in zip(reports, statuses, strict=True)]})
