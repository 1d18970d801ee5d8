"""URLs of the public host for agents: the Billsync API and its OpenAPI schema."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import api, errors

api_patterns = [
    path("config", api.ConfigView.as_view(), name="sync_config"),
    path("heartbeat", api.HeartbeatView.as_view(), name="sync_heartbeat"),
    path("items", api.ItemsView.as_view(), name="sync_items"),
    path("items/lease", api.LeaseView.as_view(), name="sync_items_lease"),
    path("items/ack", api.BatchAckView.as_view(), name="sync_items_ack"),
    path("items/content", api.BundleView.as_view(), name="sync_items_content"),
    path("items/failures", api.FailureBatchView.as_view(), name="sync_items_failures"),
    path("items/<int:item_id>/content", api.ContentView.as_view(), name="sync_item_content"),
    path("items/<int:item_id>/ack", api.AckView.as_view(), name="sync_item_ack"),
    path("items/<int:item_id>/failure", api.FailureView.as_view(), name="sync_item_failure"),
    re_path(r"^.*$", errors.not_found),
]

urlpatterns = [
    path("api/sync/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="sync_api.urls"), name="api_schema"),
    path("api/schema/swagger/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_swagger"),
    path("api/schema/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
]
