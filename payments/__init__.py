"""Fees due per dossier, payments (online through a provider, cash and transfer at the desk),
receipts and reconciliation (docs/adr/0019-payments.md)."""
