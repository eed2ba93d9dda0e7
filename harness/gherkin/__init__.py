"""The Gherkin syntax on pytest-bdd: the vocabulary's steps, feature binding, undefined-step
suggestions, readable ids, reports under xdist, and the step catalogue.

The steps are declared once in the top-level `steps/` directory (installed as `harness.steps`)
through `harness.vocabulary`; `steps` registers them with pytest-bdd.
"""

from harness.gherkin.binding import scenario_test_name, scenarios

__all__ = ["scenario_test_name", "scenarios"]
