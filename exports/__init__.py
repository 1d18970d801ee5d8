"""Export settings per dossier, policies, approvals, batches and items, target layouts (Sage BOB)."""
