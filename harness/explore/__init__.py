"""`harness explore`: random sequences of the vocabulary's actions against a merchant, checked after
every step, a disagreement shrunk to a minimal runnable scenario (docs/explore.md).

`strategies` draws values by kind, `conditions` says when an action means something, `machine` is
the hypothesis state machine, `invariants` what must hold (also the `merchant agrees` and
`merchant up to date` expectations), `printing` the scenario it writes, `runner` the run (budget,
seed, example database, progress, files) and `fixture` the pytest entry (`amazon_pay_explore`).
"""

__all__: list[str] = []
