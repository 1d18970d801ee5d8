"""Firms (the tenants), their hosts, users and memberships: sign-up, login, hand-off between hosts, team,
profile and the dashboard."""
