"""Secrets kept outside the record (the audit key; later, the encryption key)."""
