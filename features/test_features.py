"""Binds every feature file under features/ (English here, Japanese in ja/) as pytest tests.

The steps come from the harness's pytest plugin; `harness.gherkin.scenarios` is pytest-bdd's
`scenarios` with test names that stay put when scenarios move.
"""

from harness.gherkin import scenarios

scenarios(".")
