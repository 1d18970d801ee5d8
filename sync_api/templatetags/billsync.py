"""`{% load billsync %}{% billsync_status %}`: the firm's agent connection status, for any firm page."""

from django import template

from ..services import agent_status

register = template.Library()


@register.inclusion_tag("sync_api/agent_status.html", takes_context=True)
def billsync_status(context):
    request = context.get("request")
    firm = getattr(request, "tenant", None)
    if firm is None or firm.is_public:
        return {"agent_status": None}
    return {"agent_status": agent_status(firm), "request": request}
