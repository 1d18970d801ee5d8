"""Documents: sales and purchase invoices and credit notes, UBL writing and reading, the quick-entry inbox."""
