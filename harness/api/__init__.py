"""The simulated Amazon Pay API v2: request signing, keys and the HTTP surface."""
