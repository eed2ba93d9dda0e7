"""Hostile feature files are refused at collection before parsing with one positioned error."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gherkin.limits import DEFAULT_FEATURE_LIMITS, FeatureFileError, check_feature_file

pytest_plugins = ["pytester"]

STEP = "    Given the merchant starts a checkout for the order of 5,000 JPY\n"
BINDING = "from harness.gherkin import scenarios\n\nscenarios('.')\n"


def scenarios(count: int, keyword: str = "Scenario") -> str:
    return "".join(f"  {keyword}: number {index}\n{STEP}" for index in range(count))


def outline(rows: int, examples: str = "Examples") -> str:
    body = "".join(f"      | {index} |\n" for index in range(rows))
    return f"  Scenario Outline: many\n{STEP}\n    {examples}:\n      | n |\n{body}"


def collect_error(pytester: pytest.Pytester, content: bytes, *args: str) -> list[str]:
    """The collection's output lines, after checking it failed with exactly one error."""
    pytester.path.joinpath("hostile.feature").write_bytes(content)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
    result.assert_outcomes(errors=1)
    assert "Traceback" not in result.stdout.str()
    return result.stdout.lines


@pytest.mark.parametrize(("content", "expected"), [
    (b"Feature: x\n" + b"#" * 50_000_000, "hostile.feature:1:1: the file is larger than 1,048,576 bytes; "
                                          "split it into several scenario files"),
    (b"Feature: x\n  Scenario: a\n    Given \x00\x01\x02\n",
     "hostile.feature:3:11: the file contains NUL bytes: it looks like a binary file, not a feature file"),
    (b"Feature: x\n  Scenario: \xff\n", "hostile.feature:2:13: the file is not UTF-8 text (byte 0xff)*"),
    (f"Feature: x\n{outline(20_000)}".encode(),
     "hostile.feature:507:1: the Examples table has more than 500 rows; split it into several Examples "
     "tables or scenarios, or generate the cases as YAML scenarios"),
    (f"Feature: x\n{scenarios(5_000)}".encode(),
     "hostile.feature:2002:1: the file has more than 1,000 scenarios (an outline counts once per Examples "
     "row); split the feature into several files"),
], ids=["50MB", "NUL", "not-UTF-8", "20k-rows", "5k-scenarios"])
def test_a_hostile_file_is_one_positioned_collection_error(pytester: pytest.Pytester, content: bytes,
                                                           expected: str) -> None:
    pytester.makepyfile(test_bound=BINDING)
    output = collect_error(pytester, content)
    assert any(line == expected or (expected.endswith("*") and line.startswith(expected[:-1]))
               for line in output), output


def test_harness_run_refuses_it_the_same_way(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\namazon_pay_feature_files = true\n")
    output = collect_error(pytester, f"Feature: x\n{outline(501)}".encode())
    assert "hostile.feature:507:1: the Examples table has more than 500 rows; split it into several " \
           "Examples tables or scenarios, or generate the cases as YAML scenarios" in output


def check(tmp_path: Path, text: str) -> None:
    path = tmp_path / "limits.feature"
    path.write_text(text, encoding="utf-8")
    check_feature_file(path, "limits.feature")


def test_the_limits_are_inclusive(tmp_path: Path) -> None:
    limits = DEFAULT_FEATURE_LIMITS
    check(tmp_path, f"Feature: x\n{outline(limits.max_examples_rows)}")
    check(tmp_path, f"Feature: x\n{scenarios(limits.max_scenarios)}")
    with pytest.raises(FeatureFileError, match="more than 500 rows"):
        check(tmp_path, f"Feature: x\n{outline(limits.max_examples_rows + 1)}")
    with pytest.raises(FeatureFileError, match=r"^limits.feature:2002:1: the file has more than 1,000"):
        check(tmp_path, f"Feature: x\n{scenarios(limits.max_scenarios + 1)}")


def test_each_examples_row_is_a_test_and_two_tables_of_one_outline_add_up(tmp_path: Path) -> None:
    two_tables = outline(400) + "\n    Examples:\n      | n |\n" + "      | 1 |\n" * 400
    check(tmp_path, f"Feature: x\n{two_tables}{scenarios(200)}")
    with pytest.raises(FeatureFileError, match=r"^limits.feature:1210:1: the file has more than 1,000"):
        check(tmp_path, f"Feature: x\n{two_tables}{scenarios(201)}")
    with pytest.raises(FeatureFileError, match=r"^limits.feature:1210:1: the file has more than 1,000"):
        check(tmp_path, f"Feature: x\n{scenarios(200)}{two_tables}      | 2 |\n")


def test_japanese_keywords_are_counted(tmp_path: Path) -> None:
    ja = "# language: ja\n機能: x\n" + outline(501, "例").replace("Scenario Outline", "シナリオアウトライン")
    with pytest.raises(FeatureFileError, match="more than 500 rows"):
        check(tmp_path, ja)
    with pytest.raises(FeatureFileError, match="more than 1,000 scenarios"):
        check(tmp_path, "# language: ja\n機能: x\n" + scenarios(1_001, "シナリオ"))


def test_tables_and_keywords_in_doc_strings_or_step_tables_are_not_scenarios(tmp_path: Path) -> None:
    doc = '    """\n' + "  Scenario: not one\n    | 1 |\n" * 2_000 + '    """\n'
    table = "".join(f"      | {index} |\n" for index in range(2_000))
    check(tmp_path, f"Feature: x\n  Scenario: a\n{STEP}{doc}{STEP}{table}")
