"""The API's codes are one enum on each side of the wire: the portal's (`sync_api.error_codes`, also in the
OpenAPI schema) and the agent's (`billsync.api_codes`) list the same codes."""

from billsync.api_codes import AckStatus, ApiCode, FailureStatus
from sync_api.error_codes import ApiErrorCode, ItemOutcome


def test_the_agent_knows_every_error_code_the_portal_sends_and_no_other():
    assert {code.value for code in ApiErrorCode} == {code.value for code in ApiCode}


def test_every_item_outcome_the_agent_reads_is_one_the_portal_sends():
    agent = {status.value for status in AckStatus} | {status.value for status in FailureStatus}
    assert agent <= {outcome.value for outcome in ItemOutcome}


def test_the_openapi_schema_lists_the_error_codes(public_client):
    schema = public_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    schemas = schema["components"]["schemas"]
    reference = schemas["Error"]["properties"]["code"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    listed = set(schemas[reference]["enum"])
    assert listed == {code.value for code in ApiErrorCode}
