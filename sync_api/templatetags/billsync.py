"""`{% load billsync %}{% billsync_status %}`: the firm's agent connection status, for any firm page."""

from django import template

from firms.tenancy import request_firm

from ..services import agent_status

register = template.Library()


@register.inclusion_tag("sync_api/agent_status.html", takes_context=True)
def billsync_status(context):
    request = context.get("request")
    firm = request_firm(request)
    if firm is None:
        return {"agent_status": None}
    return {"agent_status": agent_status(firm), "request": request}
