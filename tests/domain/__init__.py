"""The Amazon Pay v2 domain: limits, operations and errors of docs/reference/amazon-pay-v2.md, at the
boundaries."""
