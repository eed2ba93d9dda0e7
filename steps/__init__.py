"""The Gherkin steps of the harness (pytest-bdd), each defined once in English and Japanese.

This directory is installed as the package `harness.steps`: pyproject.toml maps it there
(`[tool.setuptools] package-dir`), so the steps ship with `pip install amazon-pay-harness` without a
top-level module called `steps` next to the user's own. The pytest plugin registers its modules,
so another repository's feature files use these steps with nothing copied. The steps are thin:
each reads its values and calls `harness.scenario.ScenarioWorld`. What they are built from (step
templates, feature binding, suggestions) lives in `harness.bdd`.

    actions.py       Given/When: buyer, merchant, Amazon, operator, time
    expectations.py  Then: Seller Central, the API, the merchant's own records
"""
