"""Every rule of docs/reference/seller-central.md as a test, at its boundaries."""
