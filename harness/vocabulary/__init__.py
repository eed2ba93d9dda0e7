"""The one action vocabulary: each action and expectation declared once, read by both syntaxes.

`declarations` holds the decorators (`action`, `expectation`) and the collected `VOCABULARY`;
`values` the kinds of value a step takes; `templates` the one compiler of step texts;
`phrases` the checkout options and row amounts. The declarations themselves are the top-level
`steps/` directory (installed as `harness.steps`); `harness.gherkin` and `harness.yaml` read them.
"""

from harness.vocabulary.declarations import (
    ACTORS,
    VOCABULARY,
    Action,
    Argument,
    Declaration,
    Say,
    action,
    actions_of,
    expectation,
    load_vocabulary,
    yaml_actions,
)

__all__ = [
    "ACTORS",
    "VOCABULARY",
    "Action",
    "Argument",
    "Declaration",
    "Say",
    "action",
    "actions_of",
    "expectation",
    "load_vocabulary",
    "yaml_actions",
]
