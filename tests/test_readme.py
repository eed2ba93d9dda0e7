"""README.md's Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"


def test_the_python_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"## Using the simulator from Python\n\n```python\n(.*?)```", text, re.DOTALL)
    assert example is not None, "README.md lost its Python example"
    exec(compile(example.group(1), "README.md", "exec"), {})
