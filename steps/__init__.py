"""The vocabulary of the harness: every action and expectation, each declared once.

This directory is installed as the package `harness.steps`: pyproject.toml maps it there
(`[tool.setuptools] package-dir`), so the steps ship with `pip install amazon-pay-harness` without a
top-level module called `steps` next to the user's own. Each step function is declared with
`harness.vocabulary.action` or `expectation`: its YAML key, its English and Japanese step text,
its doc (the docstring) and its parameters' kinds (the annotations). The Gherkin steps
(`harness.gherkin`), the YAML actions and their schema (`harness.yaml`) and the generated docs
all derive from these declarations; the body hands the values to `ScenarioWorld`.

    actions.py       Given/When: buyer, merchant, Amazon, operator, time
    expectations.py  Then: Seller Central, the API, the merchant's own records
    arguments.py     the parameters many steps share
"""
