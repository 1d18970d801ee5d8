"""Dossiers: one per client business of a firm, entrepreneur access and invitations, contacts, products."""
