"""Convert scenarios between QA's two syntaxes: YAML -> `.feature` (English or Japanese) and back.

Each YAML action is written with the first phrasing of its declaration (`harness.vocabulary`) that
says its values, through the same templates the Gherkin steps match with, so the converted feature
runs with the same steps; a feature is read back through those templates. Parameter tables become Scenario
Outlines (`{name}` <-> `<name>`). YAML -> feature -> YAML gives the same scenarios (tags sorted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pytest_bdd.exceptions import FeatureError
from pytest_bdd.parser import FeatureParser, ScenarioTemplate, Step

from harness.scenario.parsing import ScenarioValueError, parse_order_name
from harness.vocabulary.declarations import Action, Argument, Declaration, Language, Phrasing, load_vocabulary
from harness.vocabulary.phrases import OPTIONS, read_row_amounts, split_list, write_row_amounts
from harness.vocabulary.values import AMOUNT, COUNT, FLAG, Value
from harness.yaml.errors import Position, ScenarioFileError
from harness.yaml.expand import PLACEHOLDER, fill, fill_text, render
from harness.yaml.files import ScenarioFile
from harness.yaml.model import ScenarioSpec, StepSpec
from harness.yaml.reader import read_steps
from harness.yaml.tree import Map, Node, Scalar, Seq

__all__ = ["ConversionError", "dump_scenarios", "feature_to_yaml", "yaml_to_feature"]

_KEYWORDS: Mapping[Language, Mapping[str, str]] = {
    "en": {"given": "Given", "when": "When", "then": "Then", "and": "And", "feature": "Feature",
           "scenario": "Scenario", "outline": "Scenario Outline", "examples": "Examples"},
    "ja": {"given": "前提", "when": "もし", "then": "ならば", "and": "かつ", "feature": "機能",
           "scenario": "シナリオ", "outline": "シナリオアウトライン", "examples": "例"},
}
_CURRENT_ORDER: Mapping[Language, str] = {"en": "the order", "ja": "注文"}
_JOIN: Mapping[Language, str] = {"en": ", ", "ja": "、"}


class ConversionError(ScenarioFileError):
    """A scenario that cannot be written in the other syntax (the message says why and where)."""


# --- YAML -> feature ---------------------------------------------------------------------------


def to_outline(text: str) -> str:
    """`{name}` -> `<name>`, `{{` -> `{`."""
    return PLACEHOLDER.sub(lambda match: f"<{match[1]}>" if match[1] else match[0][0], text)


def from_outline(text: str) -> str:
    """`<name>` -> `{name}`, `{` -> `{{`."""
    escaped = text.replace("{", "{{").replace("}", "}}")
    return re.sub(r"<(\w+)>", r"{\1}", escaped)


def yaml_to_feature(scenarios: ScenarioFile, language: Language = "en", title: str | None = None) -> str:
    """The scenarios of a YAML file as a feature file."""
    words = _KEYWORDS[language]
    feature = title or next((spec.feature for spec in scenarios.specs if spec.feature), None) or \
        Path(scenarios.display).stem.replace("_", " ").replace("-", " ").capitalize()
    lines = ["# language: ja"] if language == "ja" else []
    lines.append(f"{words['feature']}: {feature}")
    for spec in scenarios.specs:
        lines.append("")
        lines.extend(_scenario_lines(spec, language))
    return "\n".join(lines) + "\n"


def _scenario_lines(spec: ScenarioSpec, language: Language) -> list[str]:
    """A Scenario (Outline); one Scenario per row when parameters choose actions, which Gherkin cannot."""
    try:
        return _written(spec, spec.name.text, read_steps(spec.steps_node), spec.parameters, language)
    except ScenarioFileError:
        if not spec.parameters:
            raise
    lines: list[str] = []
    for number, row in enumerate(spec.parameters, 1):
        steps_node = fill(spec.steps_node, row)
        assert isinstance(steps_node, Seq)
        name = f"{fill_text(spec.name, row)} [row {number}]"
        lines.extend([*([""] if lines else []), *_written(spec, name, read_steps(steps_node), (), language)])
    return lines


def _written(spec: ScenarioSpec, name: str, steps: tuple[StepSpec, ...],
             parameters: tuple[dict[str, Node], ...], language: Language) -> list[str]:
    words = _KEYWORDS[language]
    lines = [f"  {' '.join('@' + tag for tag in spec.tags)}"] if spec.tags else []
    keyword = words["outline"] if parameters else words["scenario"]
    lines.append(f"  {keyword}: {to_outline(name)}")
    if spec.description:
        lines.extend(f"    {line}".rstrip() for line in spec.description.strip().splitlines())
    previous = ""
    for kind, text in _step_kinds(steps, language):
        shown = words["and"] if kind == previous else words[kind]
        lines.append(f"    {shown} {text}")
        previous = kind
    if parameters:
        names = list(parameters[0])
        table = [names, *([to_outline(render(row[name])) for name in names] for row in parameters)]
        widths = [max(len(line[column]) for line in table) for column in range(len(names))]
        lines.extend(["", f"    {words['examples']}:"])
        lines.extend("      | " + " | ".join(cell.ljust(width) for cell, width in
                                             zip(line, widths, strict=True)) + " |" for line in table)
    return lines


def _step_kinds(steps: Iterable[StepSpec], language: Language) -> list[tuple[str, str]]:
    """Given for the setting, When for the last action before an expectation, Then for expectations."""
    written = [("then" in step.action.declaration.keywords, _write_step(step, language)) for step in steps]
    kinds: list[tuple[str, str]] = []
    seen_expectation = False
    for index, (expectation, text) in enumerate(written):
        if expectation:
            kinds.append(("then", text))
            seen_expectation = True
        elif seen_expectation or index + 1 == len(written) or written[index + 1][0]:
            kinds.append(("when", text))
        else:
            kinds.append(("given", text))
    return kinds


def _write_step(step: StepSpec, language: Language) -> str:
    values: dict[str, str] = {str(name): str(value) for name, value in step.action.fixed.items()}
    options: list[str] = []
    selected: set[str] = set()
    for argument in step.action.all_arguments:
        node = step.values.get(argument.key)
        if node is None:
            continue
        if argument.option is not None:
            if argument.kind is not FLAG:
                options.append(argument.option.write(language, _gherkin_text(node, step, argument.kind,
                                                                             language)))
            elif _flag(node, step):
                options.append(argument.option.write(language))
        elif argument.kind is FLAG:
            if _flag(node, step):
                selected.add(argument.parameter)
        elif argument.kind.shape == "columns" and isinstance(node, Map):
            written = {key.text: _gherkin_text(value, step, AMOUNT, language) for key, value in node.entries}
            values[argument.parameter] = _join(write_row_amounts(written, language), language)
        else:
            values[argument.parameter] = _gherkin_text(node, step, argument.kind, language)
    if options:
        values["options"] = _join(options, language)
    return _choose_step(step, values, selected, language)


def _choose_step(step: StepSpec, values: dict[str, str], selected: set[str], language: Language) -> str:
    """The first phrasing of the action that says exactly these values."""
    for phrasing in step.action.declaration.phrasings:
        template = phrasing.template(language)
        if set(phrasing.say.implies) != selected:
            continue
        filled = dict(values)
        if "order" in template.required and "order" not in filled:
            filled["order"] = _CURRENT_ORDER[language]
        if set(filled) <= template.placeholders and template.required <= set(filled):
            then = "then" in step.action.declaration.keywords
            return template.write(filled, last_choice=language == "ja" and then)
    raise ConversionError(step.position, f"{step.label}: no Gherkin step says this combination of arguments "
                                         f"({', '.join(sorted(step.values))})")


def _join(items: list[str], language: Language) -> str:
    if language == "en" and len(items) > 1:
        return f"{', '.join(items[:-1])} and {items[-1]}"
    return _JOIN[language].join(items)


def _flag(node: Node, step: StepSpec) -> bool:
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        return node.value
    raise ConversionError(node.position, f"{step.label}: a flag taken from a parameter cannot be written "
                                         "in Gherkin; write true or false")


def _gherkin_text(node: Node, step: StepSpec, kind: Value, language: Language) -> str:
    """The value as the step writes it: `<name>` for a parameter, otherwise in `language`."""
    if not isinstance(node, Scalar):
        raise ConversionError(node.position, f"{step.label}: expected a single value here")
    try:
        return kind.write(to_outline(node.text), language)
    except ScenarioValueError as error:
        raise ConversionError(node.position, f"{step.label}: {error}") from None


# --- feature -> YAML ---------------------------------------------------------------------------


class _Flow(dict[str, Any]):
    """A mapping written in flow style: `{pay: order A, card: '0701'}`."""


class _Dumper(yaml.SafeDumper):
    """Block style for the document, flow style for each step's arguments."""


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))


def dump_scenarios(documents: Iterable[Mapping[str, Any]]) -> str:
    """Scenario documents as YAML text, as `feature_to_yaml` writes them (steps' arguments in flow style)."""
    def flowing(step: Mapping[str, Any]) -> dict[str, Any]:
        return {actor: _Flow(value) if isinstance(value, Mapping) else value for actor, value in step.items()}
    written = [{**document, "steps": [flowing(step) for step in document["steps"]]} for document in documents]
    return yaml.dump_all(written, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def feature_to_yaml(path: Path, display: str | None = None) -> str:
    """The scenarios of a feature file as YAML documents (background steps included in each)."""
    shown = display or str(path)
    try:
        feature = FeatureParser(str(path.parent), path.name).parse()
    except FeatureError as error:
        raise ConversionError(Position(shown), f"cannot read the feature file: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConversionError(Position(shown), f"cannot read the feature file: {error}") from None
    language: Language = "ja" if feature.language == "ja" else "en"
    documents = [document for template in feature.scenarios.values()
                 for document in _scenario_documents(template, feature.name, language, shown)]
    return yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def _scenario_documents(template: ScenarioTemplate, feature: str, language: Language,
                        shown: str) -> list[dict[str, Any]]:
    """One document per scenario; per example row when outline parameters stand for more than values."""
    rows = [row for examples in template.examples for row in examples.as_contexts()]
    try:
        return [_scenario_document(template, template.name, template.steps, rows,
                                   feature=feature, language=language, shown=shown)]
    except ConversionError:
        if not rows:
            raise
    documents = []
    for number, row in enumerate(rows, 1):
        rendered = template.render(row)
        documents.append(_scenario_document(template, f"{rendered.name} [row {number}]", rendered.steps, [],
                                            feature=feature, language=language, shown=shown))
    return documents


def _scenario_document(template: ScenarioTemplate, name: str, steps: list[Step], rows: list[dict[str, str]],
                       *, feature: str, language: Language, shown: str) -> dict[str, Any]:
    document: dict[str, Any] = {"name": from_outline(name)}
    if feature:
        document["feature"] = feature
    if template.description.strip():
        document["description"] = template.description.strip()
    tags = set(template.tags) | set(template.feature.tags) | (template.rule.tags if template.rule else set())
    if tags:
        document["tags"] = sorted(tags)
    if rows:
        document["parameters"] = [_Flow({key: _scalar(value) for key, value in row.items()}) for row in rows]
    document["steps"] = [_read_step(step, language, shown) for step in steps]
    return document


def _read_step(step: Step, language: Language, shown: str) -> dict[str, Any]:
    position = Position(shown, step.line_number)
    if step.docstring is not None or step.datatable is not None:
        raise ConversionError(position, "steps with a doc string or a data table have no YAML form")
    for declaration in load_vocabulary():
        if step.type not in declaration.keywords:
            continue
        for phrasing in declaration.phrasings:
            groups = phrasing.template(language).match(step.name, outline=True)
            if groups is not None:
                return _yaml_step(declaration, phrasing, groups, position, language)
    raise ConversionError(position, f"the step {step.keyword} {step.name!r} is not in the harness's "
                                    "vocabulary")


def _yaml_step(declaration: Declaration, phrasing: Phrasing, groups: dict[str, str], position: Position,
               language: Language) -> dict[str, Any]:
    chosen = _variant(declaration, groups, position)
    values: dict[str, Any] = {}
    for argument in chosen.all_arguments:
        if argument.parameter in phrasing.say.implies:
            values[argument.key] = phrasing.say.implies[argument.parameter]
        elif argument.option is not None or argument.parameter not in groups:
            continue
        elif argument.kind.shape == "columns":
            values[argument.key] = _Flow({column: from_outline(amount) for column, amount in
                                          _row_amounts(groups[argument.parameter], position).items()})
        else:
            value = _argument_value(argument, groups[argument.parameter])
            if value is not None:
                values[argument.key] = value
    if "options" in groups:
        values.update(_read_options(groups["options"], position))
    return _item(chosen, values, language)


def _variant(declaration: Declaration, groups: dict[str, str], position: Position) -> Action:
    """The declaration's YAML action whose fixed values the step says (`the Charge of ...`)."""
    for candidate in declaration.actions:
        try:
            if all(declaration.parameters[name].kind.parse(groups[name]) == value
                   for name, value in candidate.fixed.items()):
                return candidate
        except ScenarioValueError:
            break
    raise ConversionError(position, f"no YAML action says {', '.join(groups.values())!r}")


def _item(chosen: Action, values: dict[str, Any], language: Language) -> dict[str, Any]:
    """`actor: action`, `wait: 24 hours` or `actor: {action: value, argument: value}`."""
    subject = None if chosen.subject is None else values.pop(chosen.subject.key, None)
    if not values and subject is None:
        return {chosen.actor: chosen.key}
    if not values and chosen.declaration.bare:
        return {chosen.actor: subject}
    if subject is None and chosen.subject is not None and chosen.subject.parameter == "order":
        subject = _CURRENT_ORDER[language]
    return {chosen.actor: _Flow({chosen.key: subject, **values})}


def _argument_value(argument: Argument, text: str) -> Any:
    if re.fullmatch(r"<\w+>", text):
        return from_outline(text)
    if argument.parameter == "order":
        try:
            return None if parse_order_name(text) is None else text
        except ScenarioValueError:
            return text
    if argument.kind is COUNT and text.isdigit():
        return int(text)
    return from_outline(text)


def _read_options(text: str, position: Position) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in split_list(text):
        for option in OPTIONS:
            written = option.written(item)
            if written is not None:
                values[option.key] = written if isinstance(written, bool) else from_outline(written)
                break
        else:
            known = ", ".join(f"'{option.en}'" for option in OPTIONS)
            raise ConversionError(position, f"cannot write the checkout option {item!r} in YAML; write the "
                                            f"options as {known}")
    return values


def _row_amounts(text: str, position: Position) -> dict[str, str]:
    try:
        return read_row_amounts(text)
    except ScenarioValueError as error:
        raise ConversionError(position, str(error)) from None


def _scalar(text: str) -> Any:
    """A parameter value with its YAML type: whole numbers and true/false unquoted, the rest text."""
    if re.fullmatch(r"0|[1-9][0-9]*", text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    return text
