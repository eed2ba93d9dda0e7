"""The vocabulary, declared once: each action and expectation is one decorated step function.

    @action("buyer", "pay", en="the buyer[ of {order}] pays[ with the card ending in {card}]",
            ja="購入者が[{order}を]Amazonで支払<う|った>[(カード末尾{card})]")
    def buyer_pays(scenario_world: ScenarioWorld, *, order: TheOrder = None, card: Card = "1111") -> None:
        \"\"\"The buyer signs in and pays on Amazon's page with a sandbox test card (default 1111).\"\"\"
        scenario_world.buyer.pays(order, card)

The decorator attaches a `Declaration` to the function and collects it in `VOCABULARY` (the way
hypothesis's `@rule` attaches a rule): the actor and YAML key, the English and Japanese step texts,
the docstring's first line, and the parameters with their kinds (from the `Arg` in each
annotation), YAML keys, docs and defaults. Everything else derives from it: the pytest-bdd steps
(`harness.gherkin`), the YAML actions, their JSON Schema and converter (`harness.yaml`), and the
generated docs. The function is the implementation both syntaxes call.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeVar

from harness.vocabulary.phrases import OPTIONS, CheckoutOption
from harness.vocabulary.templates import DeclarationError, StepTemplate
from harness.vocabulary.values import AMOUNT, FLAG, INTENT, Arg, Value

if TYPE_CHECKING:
    from harness.scenario.world import ScenarioWorld

__all__ = [
    "ACTORS",
    "VOCABULARY",
    "Action",
    "Argument",
    "Declaration",
    "Keyword",
    "Language",
    "Parameter",
    "Phrasing",
    "Say",
    "action",
    "actions_of",
    "bare_action",
    "expectation",
    "load_vocabulary",
    "yaml_actions",
]

Keyword = Literal["given", "when", "then"]
Language = Literal["en", "ja"]
F = TypeVar("F", bound=Callable[..., None])

WORLD = "scenario_world"
"""The first parameter of every step function: the scenario's `ScenarioWorld` (a pytest fixture)."""

ACTORS: Mapping[str, str] = {
    "buyer": "the buyer, on Amazon's page",
    "merchant": "the shop's integration (the merchant adapter), calling Amazon Pay over HTTP",
    "amazon": "what Amazon decides on its own",
    "operator": "the merchant's staff, in Seller Central's transaction view",
    "wait": "simulated time",
    "expect": "what Seller Central, the API and the merchant's records must show",
    "show": "what the run shows its readers, in the timeline, whether the scenario passes or fails",
}
"""Who acts (the YAML step keys), with what each stands for, in the order the docs list them."""

STEP_MODULES = ("harness.steps.actions", "harness.steps.expectations")
"""The modules declaring the vocabulary: the top-level steps/ directory, installed as `harness.steps`."""


@dataclass(frozen=True)
class Say:
    """One way of saying a step, in both languages; `implies` are values the wording itself gives."""

    en: str
    ja: str
    implies: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    """A parameter of a step function: its kind, doc, YAML key, and default (if optional)."""

    name: str
    kind: Value
    doc: str
    key: str
    required: bool
    default: object = None


@dataclass(frozen=True)
class Phrasing:
    """One `Say`, compiled: a template per language."""

    say: Say
    en: StepTemplate
    ja: StepTemplate

    def template(self, language: Language) -> StepTemplate:
        """The template in `language`."""
        return self.en if language == "en" else self.ja


@dataclass(frozen=True)
class Argument:
    """One YAML argument of an action: its key and kind, and the parameter (or option) it fills."""

    key: str
    kind: Value
    doc: str
    parameter: str
    required: bool = False
    option: CheckoutOption | None = None
    """For a checkout option: which one (the value goes into the options parameter's mapping)."""

    @property
    def name(self) -> str:
        """What the read value is called: the parameter, or the checkout option's field."""
        return self.option.field if self.option is not None else self.parameter


@dataclass(frozen=True)
class Action:
    """One YAML action: a declaration, or one variant of it (`expect: {charge: ...}`)."""

    declaration: Declaration
    key: str
    fixed: Mapping[str, object]
    """Parameter values this action always passes (the variant's)."""
    subject: Argument | None
    """The value of the action's own key (`pay: order A`); None when it takes no value."""
    arguments: tuple[Argument, ...]

    @property
    def actor(self) -> str:
        """Who acts."""
        return self.declaration.actor

    @property
    def doc(self) -> str:
        """What the action does, in one line."""
        return self.declaration.doc.format(**self.fixed) if self.fixed else self.declaration.doc

    @property
    def all_arguments(self) -> tuple[Argument, ...]:
        """The subject (if any) and the other arguments."""
        return ((self.subject,) if self.subject else ()) + self.arguments

    @property
    def exclusive(self) -> tuple[tuple[str, str], ...]:
        """Pairs of argument keys that cannot be given together."""
        keys = {argument.parameter: argument.key for argument in self.all_arguments}
        return tuple((keys[first], keys[second]) for first, second in self.declaration.exclusive)

    def argument(self, key: str) -> Argument:
        """The argument with YAML key `key`."""
        return next(argument for argument in self.all_arguments if argument.key == key)

    def run(self, world: ScenarioWorld, values: Mapping[str, object]) -> None:
        """Perform the action with the read values (by `Argument.name`)."""
        keywords: dict[str, object] = dict(self.fixed)
        for argument in self.all_arguments:
            if argument.name not in values:
                continue
            if argument.option is not None:
                options = keywords.setdefault(argument.parameter, {})
                assert isinstance(options, dict)
                options[argument.name] = values[argument.name]
            else:
                keywords[argument.parameter] = values[argument.name]
        world.deliver_notifications()  # what the previous step made Amazon send (D-IPN-DELIVERY)
        self.declaration.function(world, **keywords)


@dataclass(frozen=True)
class Declaration:
    """An action or expectation of the vocabulary, as its decorator declared it."""

    actor: str
    key: str
    keywords: tuple[Keyword, ...]
    function: Callable[..., None]
    phrasings: tuple[Phrasing, ...]
    parameters: Mapping[str, Parameter]
    subject: str | None
    variants: Mapping[str, Mapping[str, object]]
    exclusive: tuple[tuple[str, str], ...]
    bare: bool
    """Whether the actor's bare value is this action's subject (`wait: 24 hours`)."""

    @property
    def name(self) -> str:
        """The step function's name."""
        return self.function.__name__

    @property
    def doc(self) -> str:
        """The docstring's first line."""
        return (inspect.getdoc(self.function) or self.name.replace("_", " ")).splitlines()[0]

    @cached_property
    def actions(self) -> tuple[Action, ...]:
        """Its YAML actions: one, or one per variant."""
        variants = self.variants or {self.key: {}}
        return tuple(self._action(key, fixed) for key, fixed in variants.items())

    def _action(self, key: str, fixed: Mapping[str, object]) -> Action:
        arguments: list[Argument] = []
        subject: Argument | None = None
        for parameter in self.parameters.values():
            if parameter.name in fixed:
                continue
            kind = parameter.kind.for_action(fixed)
            if parameter.kind.shape == "options":
                arguments += [Argument(option.key, _option_kind(option), option.doc, parameter.name,
                                       option=option) for option in OPTIONS]
            elif parameter.name == self.subject:
                subject = Argument(parameter.key, kind, parameter.doc, parameter.name, parameter.required)
            else:
                arguments.append(Argument(parameter.key, kind, parameter.doc, parameter.name,
                                          parameter.required))
        return Action(self, key, fixed, subject, tuple(arguments))


def _option_kind(option: CheckoutOption) -> Value:
    return FLAG if option.is_flag else INTENT if option.field == "intent" else AMOUNT


VOCABULARY: list[Declaration] = []
"""Every declared action and expectation, in declaration order (the order docs list them)."""


def load_vocabulary() -> list[Declaration]:
    """Import the step modules (declaring their steps) and return the vocabulary."""
    for module in STEP_MODULES:
        importlib.import_module(module)
    return VOCABULARY


def yaml_actions() -> tuple[Action, ...]:
    """Every YAML action, in the order docs list them."""
    return tuple(entry for declaration in load_vocabulary() for entry in declaration.actions)


def actions_of(actor: str) -> dict[str, Action]:
    """The YAML actions of one actor, by key."""
    return {entry.key: entry for entry in yaml_actions() if entry.actor == actor}


def bare_action(actor: str) -> Action | None:
    """The action a bare value of `actor` is the subject of (`wait: 24 hours`), if any."""
    return next((entry for entry in actions_of(actor).values() if entry.declaration.bare), None)


def _parameters(function: Callable[..., None]) -> dict[str, Parameter]:
    hints = typing.get_type_hints(function, include_extras=True)
    parameters: dict[str, Parameter] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name == WORLD:
            continue
        metadata = [item for item in getattr(hints.get(name), "__metadata__", ()) if isinstance(item, Arg)]
        if not metadata:
            raise DeclarationError(f"{function.__name__}: annotate {name!r} with "
                                   "Annotated[..., Arg(KIND, doc)]")
        arg = metadata[0]
        required = parameter.default is inspect.Parameter.empty
        parameters[name] = Parameter(name, arg.kind, arg.doc, arg.key or name.replace("_", " "), required,
                                     None if required else parameter.default)
    return parameters


def _declare(actor: str, key: str, keywords: tuple[Keyword, ...], says: tuple[Say, ...], *,
             subject: str | None, variants: Mapping[str, Mapping[str, object]] | None,
             exclusive: tuple[tuple[str, str], ...], bare: bool) -> Callable[[F], F]:
    if actor not in ACTORS:
        raise DeclarationError(f"unknown actor {actor!r}; actors are {', '.join(ACTORS)}")

    def declare(function: F) -> F:
        parameters = _parameters(function)
        patterns = {name: parameter.kind.pattern for name, parameter in parameters.items()}
        phrasings = tuple(Phrasing(say, StepTemplate(say.en, patterns), StepTemplate(say.ja, patterns))
                          for say in says)
        chosen = subject if subject is not None else ("order" if "order" in parameters else None)
        declaration = Declaration(actor, key, keywords, function, phrasings, parameters, chosen,
                                  dict(variants or {}), exclusive, bare)
        for index, known in enumerate(VOCABULARY):
            if (known.actor, known.key) == (actor, key):
                if known.function.__qualname__ != function.__qualname__:
                    raise DeclarationError(f"{function.__name__}: '{actor}: {key}' is already declared by "
                                     f"{known.name}")
                VOCABULARY[index] = declaration  # the module was imported again
                break
        else:
            VOCABULARY.append(declaration)
        function.declaration = declaration  # type: ignore[attr-defined]
        return function

    return declare


def _says(en: str | None, ja: str | None, says: tuple[Say, ...]) -> tuple[Say, ...]:
    if (en is None) != (ja is None):
        raise DeclarationError("give a step's English and Japanese text together")
    return ((Say(en, ja),) if en is not None and ja is not None else ()) + says


def action(actor: str, key: str, *says: Say, en: str | None = None, ja: str | None = None,
           subject: str | None = None, bare: bool = False) -> Callable[[F], F]:
    """Declare a Given/When step: `actor: key` in YAML, `en` / `ja` (or several `Say`s) in Gherkin.

    `subject` names the parameter written as the action's own value (default: `order`, if taken);
    `bare` makes a bare value of the actor mean this action (`wait: 24 hours`).
    """
    return _declare(actor, key, ("given", "when"), _says(en, ja, says), subject=subject, variants=None,
                    exclusive=(), bare=bare)


def expectation(key: str, *says: Say, en: str | None = None, ja: str | None = None,
                subject: str | None = None, variants: Mapping[str, Mapping[str, object]] | None = None,
                exclusive: tuple[tuple[str, str], ...] = (), actor: str = "expect") -> Callable[[F], F]:
    """Declare a Then step: `expect: key` in YAML, `en` / `ja` (or several `Say`s) in Gherkin.

    `variants` gives one YAML action per entry (key -> the parameter values it fixes) instead of
    `key`; `exclusive` lists pairs of parameters that cannot be given together; `actor` another
    YAML step key than `expect` (`show`).
    """
    return _declare(actor, key, ("then",), _says(en, ja, says), subject=subject, variants=variants,
                    exclusive=exclusive, bare=False)
