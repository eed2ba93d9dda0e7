"""Every rule of seller-central.md as a test, at its boundaries."""
