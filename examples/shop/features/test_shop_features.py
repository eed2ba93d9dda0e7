"""Binds exampleshop's feature files (English here, Japanese in ja/); the merchant is the ini's."""

from harness.gherkin import scenarios

scenarios(".")
