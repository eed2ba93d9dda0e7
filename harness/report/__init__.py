"""What a run produces for people and CI: the per-scenario records, Cucumber JSON, JUnit classnames and
the living documentation (one self-contained HTML file) with its state-machine coverage.

`plugin` is the pytest plugin (`--amazon-pay-report`, and the Cucumber JSON writer behind
`--cucumberjson`); `record` the data one scenario leaves behind; `capture` builds it when a test
ends; `cucumber` and `living_doc` render the collected records.
"""

from harness.report.record import ScenarioRecord

__all__ = ["ScenarioRecord"]
