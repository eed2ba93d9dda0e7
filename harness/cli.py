"""The `harness` command: run scenario files, convert them between YAML and Gherkin, regenerate files.

    harness run scenarios/ features/          run YAML and .feature scenarios (no Python needed)
    harness run f.feature -v -- -x            options anywhere; after -- arguments go to pytest
    harness convert scenarios/dropoff.yaml    YAML -> .feature (English, or --language ja)
    harness convert features/open.feature     .feature -> YAML
    harness generate [--check]                every generated file: schema, step catalogue, docs
    harness serve [--port N] [--public-key KEYID=PEM_FILE]...   the simulator as an HTTP server
    harness explore --merchant MODULE:FACTORY|URL [--examples N | --seconds S] [--seed N]
                    [--language en|ja] [--out DIR] [--report FILE]    random sequences of actions; a
                                      disagreement shrunk to a scenario (exit 1 when found)

`run` runs pytest in-process with the harness's plugin: progress and a summary as pytest shows
them, exit code 0 when every scenario passed, 1 when one failed, 2 for bad scenario files or usage.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from harness.convert import feature_to_yaml, yaml_to_feature
from harness.errors import HarnessError
from harness.yaml.errors import ScenarioFileError
from harness.yaml.files import load_scenario_file
from harness.yaml.plugin import FEATURES_OPTION, SCENARIOS_OPTION, SUFFIXES

if TYPE_CHECKING:  # `harness run` starts pytest without the server (uvicorn) or explore (hypothesis)
    from harness.server import PublicKey

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
PLUGINS = ("harness.pytest_plugin", "harness.yaml.plugin")


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake as one line naming the fix."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `harness` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["run"]:
        options = _parse_run(arguments[1:])
        if options is None:
            return EXIT_BAD_INPUT
    else:
        options = _parser().parse_args(arguments)
    try:
        code: int = options.command(options)
    except (ScenarioFileError, HarnessError) as error:
        print(f"harness: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


RUN_USAGE = "harness run PATH... [options] [-- pytest-args]"


def _parse_run(arguments: list[str]) -> argparse.Namespace | None:
    """`run`'s arguments: paths and options in any order, everything after `--` for pytest.

    With no path at all it prints its usage and gives None (exit 2).
    """
    split = arguments.index("--") if "--" in arguments else len(arguments)
    parser = _run_parser(argparse.ArgumentParser(prog="harness run", usage=RUN_USAGE))
    options = parser.parse_intermixed_args(arguments[:split])
    options.pytest_args = arguments[split + 1:]
    if not options.paths:
        parser.print_help(sys.stderr)
        return None
    return options


def _run_parser(run: argparse.ArgumentParser) -> argparse.ArgumentParser:
    run.description = "Run YAML and .feature scenario files or folders; options may come anywhere."
    run.epilog = "Arguments after -- go to pytest unchanged (e.g. -- -x --lf)."
    run.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="scenario files or folders")
    run.add_argument("--merchant", metavar="MODULE:FACTORY", help="the merchant adapter factory to drive")
    run.add_argument("--junitxml", metavar="FILE", help="write a JUnit XML report")
    run.add_argument("--cucumberjson", metavar="FILE", help="write a Cucumber JSON report")
    run.add_argument("--report", metavar="FILE", help="write the living documentation (one HTML file)")
    run.add_argument("-k", metavar="EXPRESSION", dest="keyword",
                     help="only scenarios matching the expression")
    run.add_argument("-n", metavar="WORKERS", dest="workers",
                     help="run in parallel (pytest-xdist: install the [parallel] extra)")
    run.add_argument("-v", "--verbose", action="store_true", help="one line per scenario")
    run.set_defaults(command=_run, pytest_args=[])
    return run


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="harness", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    _run_parser(commands.add_parser("run", usage=RUN_USAGE,
                                    help="run YAML and .feature scenario files or folders"))
    convert = commands.add_parser("convert", help="turn a YAML scenario file into a .feature file, or back")
    convert.add_argument("file", type=Path)
    convert.add_argument("-o", "--output", type=Path, help="write here instead of to standard output")
    convert.add_argument("--language", choices=("en", "ja"), default="en", help="language of the .feature")
    convert.set_defaults(command=_convert)
    generate = commands.add_parser("generate",
                                   help="rewrite every generated file (schema, step catalogue, docs)")
    generate.add_argument("--check", action="store_true", help="only check that they are current")
    generate.add_argument("--root", type=Path, default=Path(), help="the repository root (default: .)")
    generate.set_defaults(command=_generate)
    _serve_parser(commands.add_parser("serve", help="serve the simulator over HTTP (any language, via "
                                                    "a base URL or HTTPS_PROXY)"))
    _explore_parser(commands.add_parser("explore", help="random sequences of buyer, Amazon, operator and "
                                                        "clock actions against a merchant (docs/explore.md)"))
    return parser


def _positive(kind: type[int] | type[float]) -> Callable[[str], float]:
    def read(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
        return value
    return read


def _explore_parser(explore_command: argparse.ArgumentParser) -> None:
    from harness.explore.runner import DEFAULT_OUT  # noqa: PLC0415  # hypothesis, only for explore's help

    explore_command.add_argument("--merchant", required=True, metavar="MODULE:FACTORY|URL",
                                 help="the merchant adapter factory, or the http:// URL of a shop's HTTP "
                                      "adapter")
    budget = explore_command.add_mutually_exclusive_group()
    budget.add_argument("--examples", type=_positive(int), metavar="N", help="run N examples (default 100)")
    budget.add_argument("--seconds", type=_positive(float), metavar="S", help="run for S seconds instead")
    explore_command.add_argument("--seed", type=int, default=0, help="the run's seed (default 0)")
    explore_command.add_argument("--steps", type=_positive(int), default=12, metavar="N",
                                 help="at most N steps per example (default 12)")
    explore_command.add_argument("--no-shrink", action="store_false", dest="shrink",
                                 help="report the first failing example as found, unshrunk (faster)")
    explore_command.add_argument("--language", choices=("en", "ja"), default="en",
                                 help="language of the written .feature (default en)")
    explore_command.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                                 help="where found scenarios and the example database go "
                                      f"(default {DEFAULT_OUT})")
    explore_command.add_argument("--report", type=Path, metavar="FILE",
                                 help="write the run's living documentation (state-machine coverage reached)")
    explore_command.add_argument("--server-port", type=int, default=0, metavar="PORT",
                                 help="with an http:// merchant: the 127.0.0.1 port the simulator is served "
                                      "on, the shop's HTTPS_PROXY (default 0: any free port)")
    explore_command.set_defaults(command=_explore)


def _explore(options: argparse.Namespace) -> int:
    from harness.explore.runner import ExploreOptions, explore  # noqa: PLC0415

    examples = None if options.seconds is not None else int(options.examples or 100)
    result = explore(ExploreOptions(merchant=options.merchant, examples=examples, seconds=options.seconds,
                                    seed=options.seed, language=options.language, out=options.out,
                                    steps=int(options.steps), shrink=options.shrink, report=options.report,
                                    server_port=options.server_port,
                                    progress=sys.stderr))
    if result.found is None:
        return EXIT_OK
    sys.stdout.write(result.found.feature)
    return EXIT_FAILED


def _public_key(spec: str) -> PublicKey:
    from harness.server import PublicKey  # noqa: PLC0415  # the server: only `harness serve` needs it

    key_id, separator, file = spec.partition("=")
    if not separator or not key_id or not file:
        raise argparse.ArgumentTypeError(f"expected KEYID=PEM_FILE, got {spec!r}")
    try:
        return PublicKey.from_file(key_id, Path(file))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _moment(text: str) -> datetime:
    from harness.server import parse_moment  # noqa: PLC0415

    try:
        return parse_moment(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _serve_parser(serve: argparse.ArgumentParser) -> None:
    from harness.server import default_ca_dir  # noqa: PLC0415

    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="the port (default 8080; 0: any free port)")
    serve.add_argument("--public-key", type=_public_key, action="append", default=[], dest="public_keys",
                       metavar="KEYID=PEM_FILE", help="a merchant key requests may be signed with "
                       "(public or private key PEM); repeatable")
    serve.add_argument("--tls", action="store_true", help="serve HTTPS on the port (certificate from the CA)")
    serve.add_argument("--start", type=_moment, default=None, metavar="now|ISO-8601",
                       help="where the simulated clock starts (default: now)")
    serve.add_argument("--seed", type=int, default=0, help="the id seed (default 0)")
    serve.add_argument("--store-id", default=None, metavar="STORE_ID",
                       help="the shop's storeId, which Amazon Pay's button accepts "
                            "(default: the simulator's)")
    serve.add_argument("--state", type=Path, metavar="FILE", help="load on start, save on stop")
    serve.add_argument("--ipn-url", metavar="URL", type=_ipn_url,
                       help="the shop's IPN endpoint: notifications are POSTed there (docs/notifications.md)")
    serve.add_argument("--ca-dir", type=Path, default=default_ca_dir(), metavar="DIR",
                       help=f"where the CA is kept (default {default_ca_dir()})")
    serve.set_defaults(command=_serve)


def _serve(options: argparse.Namespace) -> int:
    from harness.server import ServeOptions, serve  # noqa: PLC0415

    return serve(ServeOptions(ca_dir=options.ca_dir, host=options.host, port=options.port,
                              public_keys=options.public_keys, tls=options.tls, start=options.start,
                              seed=options.seed, state=options.state, store_id=options.store_id,
                              ipn_url=options.ipn_url))


def _ipn_url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a URL; give the shop's IPN endpoint, e.g. "
                                         "http://127.0.0.1:3000/ipn")
    return text


def pytest_arguments(paths: Sequence[Path], *, merchant: str | None = None, junitxml: str | None = None,
                     keyword: str | None = None, workers: str | None = None, verbose: bool = False,
                     extra: Sequence[str] = (), cucumberjson: str | None = None,
                     report: str | None = None) -> list[str]:
    """The pytest command line `harness run` uses: only scenario files, with the harness's plugins."""
    folders = [str(path.resolve()) for path in paths if path.is_dir()]
    arguments = [str(path) for path in paths]
    arguments += ["-o", f"{FEATURES_OPTION}=true", "-o", "python_files=", "-p", "no:cacheprovider",
                  # only scenario files run, no @given test: hypothesis's plugin would import all of
                  # hypothesis (~0.2 s) at the end of every process, each xdist worker too
                  "-p", "no:hypothesispytest",
                  # this process imported the harness (and its plugins) before pytest started
                  "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    if folders:
        arguments += ["-o", f"{SCENARIOS_OPTION}={shlex.join(folders)}"]
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        arguments += [item for plugin in PLUGINS for item in ("-p", plugin)]
    for flag, value in (("--amazon-pay-merchant", merchant), ("--junitxml", junitxml), ("-k", keyword),
                        ("-n", workers), ("--cucumberjson", cucumberjson), ("--amazon-pay-report", report)):
        if value:
            arguments += [flag, value]
    if verbose:
        arguments.append("-v")
    return arguments + list(extra)


def _run(options: argparse.Namespace) -> int:
    missing = [str(path) for path in options.paths if not path.exists()]
    if missing:
        print(f"harness: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    code = pytest.main(pytest_arguments(options.paths, merchant=options.merchant, junitxml=options.junitxml,
                                        keyword=options.keyword, workers=options.workers,
                                        verbose=options.verbose, extra=options.pytest_args,
                                        cucumberjson=options.cucumberjson, report=options.report))
    if code == pytest.ExitCode.OK:
        return EXIT_OK
    if code == pytest.ExitCode.TESTS_FAILED:
        return EXIT_FAILED
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(f"harness: no scenarios found in {', '.join(map(str, options.paths))} (YAML files: "
              f"{', '.join(SUFFIXES)}; Gherkin: .feature)", file=sys.stderr)
    return EXIT_BAD_INPUT


def _convert(options: argparse.Namespace) -> int:
    path: Path = options.file
    if not path.is_file():
        print(f"harness: no such file: {path}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if path.suffix in SUFFIXES:
        text = yaml_to_feature(load_scenario_file(path), options.language)
    elif path.suffix == ".feature":
        text = feature_to_yaml(path)
    else:
        print(f"harness: {path}: convert takes a YAML scenario file ({', '.join(SUFFIXES)}) or a "
              ".feature file", file=sys.stderr)
        return EXIT_BAD_INPUT
    if options.output is None:
        sys.stdout.write(text)
    else:
        options.output.write_text(text, encoding="utf-8")
        print(f"wrote {options.output}", file=sys.stderr)
    return EXIT_OK


def _generate(options: argparse.Namespace) -> int:
    from harness.generate import stale_files, write_files  # noqa: PLC0415  # every generator's imports

    if options.check:
        stale = stale_files(options.root)
        if stale:
            listed = ", ".join(map(str, stale))
            print(f"harness: out of date: {listed}; run `harness generate`", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    for path in write_files(options.root):
        print(f"wrote {options.root / path}")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
