"""REST API for Billsync agents: sync keys, configuration, pending items, acknowledgements, heartbeats."""
