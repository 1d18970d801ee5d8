"""What every app shares and no app owns: the domain error with its codes, mail, upload checks and identifiers
(enterprise number, IBAN, VAT number)."""
