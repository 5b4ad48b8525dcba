"""Coverage-guided fuzzing of archlint's readers with atheris (libFuzzer for Python).

    pip install -e '.[fuzz]'
    python scripts/fuzz.py spec --seconds 600          # the spec loader (and the rules)
    python scripts/fuzz.py template --seconds 600      # the template importer and `import`
    python scripts/fuzz.py config --seconds 600        # pyproject.toml / .archlint.yaml

Each target starts from a seed corpus of what the repository holds (the example
specs, the CloudFormation corpus, the documented configurations) copied into
`out/fuzz/TARGET/corpus/`, where libFuzzer keeps every input that reached new code.

The expected outcome of a bad input is a `SpecError` whose every problem has a file,
a line and a column, or a `ConfigError` naming its file: that is what the user sees.
Anything else is a crash: another exception, a problem without a position, a template
the importer gives up on ("a bug in archlint"), an imported spec that does not load
again, a rule that raised. Each distinct crash (by exception type and the line that
raised it) is saved once to `out/fuzz/TARGET/crashes/` and fuzzing goes on; inputs
that hang (`--timeout`) or exhaust memory stop libFuzzer, which saves them there too,
and the run is restarted until `--seconds` are spent.

At the end the script prints the inputs tried and libFuzzer's coverage counters
(`cov`: code edges reached, `ft`: features). Replay one input with
`python scripts/fuzz.py TARGET --replay FILE` to see its traceback.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ("spec", "template", "config")
SEEDS = {
    "spec": ["specs/examples/**/*.yaml", "tests/emit/specs/*.yaml"],
    "template": ["tests/corpus/cfn/*.yaml", "tests/corpus/cfn/*.yml", "tests/corpus/cfn/*.json"],
    "config": ["docs/ci/pyproject.toml", "docs/ci/archlint.yaml", "tests/plugin_example/pyproject.toml"],
}
STATUS = re.compile(r"#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")


class Crash(Exception):
    """An outcome a user must never see, other than an exception."""


def _check_problems(problems) -> None:
    from archlint.specs.cfn import BUG

    for problem in problems:
        if not problem.file or problem.line < 1 or problem.column < 1:
            raise Crash(f"a problem without file:line:column: {problem!r}")
        if problem.message.startswith(BUG):
            raise Crash(problem.message)


def fuzz_spec(data: bytes) -> None:
    from archlint.linter.engine import lint_graph
    from archlint.linter.registry import all_rules, known_selector
    from archlint.specs import SpecError, load_text

    try:
        graph = load_text(data, "fuzz.yaml", rule_known=known_selector)
    except SpecError as error:
        _check_problems(error.problems)
        return
    result = lint_graph(graph, all_rules())
    if result.failures:
        raise Crash("; ".join(result.failures))


def fuzz_template(data: bytes) -> None:
    from archlint.linter.commands.import_template import spec_for
    from archlint.linter.registry import all_rules, known_selector
    from archlint.specs import SpecError
    from archlint.specs.cfn import load_template_text

    try:
        graph = load_template_text(data, "fuzz.yaml", rule_known=known_selector)
    except SpecError as error:
        _check_problems(error.problems)
        return
    _, differences = spec_for(graph, all_rules())
    broken = [text for text in differences if "does not load" in text]
    if broken:
        raise Crash("the imported spec does not load: " + "; ".join(broken))


def fuzz_config(data: bytes) -> None:
    from archlint.linter.config import ConfigError, config_from_text

    if not data:
        return
    # the first byte picks the file kind, the rest is its text (as the reader decodes it)
    name = "pyproject.toml" if data[0] & 1 else ".archlint.yaml"
    try:
        text = data[1:].decode("utf-8")
    except UnicodeDecodeError:
        return  # the reader refuses undecodable files before parsing
    try:
        config_from_text(text, name)
    except ConfigError as error:
        if not error.file:
            raise Crash(f"a ConfigError without its file: {error}") from None


RUNNERS = {"spec": fuzz_spec, "template": fuzz_template, "config": fuzz_config}


def seed(target: str, corpus: str) -> None:
    os.makedirs(corpus, exist_ok=True)
    for pattern in SEEDS[target]:
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            with open(path, "rb") as stream:
                data = stream.read()
            if target == "config":  # the kind byte first (see fuzz_config)
                data = (b"\x01" if path.endswith(".toml") else b"\x00") + data
            name = hashlib.sha1(data).hexdigest()
            with open(os.path.join(corpus, name), "wb") as stream:
                stream.write(data)


def worker(args) -> None:
    """One libFuzzer run in this process (started by `main`)."""
    import atheris

    with atheris.instrument_imports(include=["archlint"]):
        import archlint.linter.commands.import_template  # noqa: F401
        import archlint.linter.config  # noqa: F401
        import archlint.linter.engine  # noqa: F401
        import archlint.specs  # noqa: F401
        import archlint.specs.cfn  # noqa: F401
        from archlint.linter.registry import all_rules
        all_rules()  # instrument the rule modules too

    run_one = RUNNERS[args.target]
    seen: set[str] = set()

    def test_one_input(data: bytes) -> None:
        try:
            run_one(data)
        except Exception as error:  # noqa: BLE001 - every other exception is what we hunt
            frame = traceback.extract_tb(error.__traceback__)[-1]
            signature = f"{type(error).__name__}:{os.path.basename(frame.filename)}:{frame.lineno}"
            if isinstance(error, Crash):  # raised in one place: tell them apart by what they say
                gist = re.sub(r"'[^']*'|\S*:\d+:\d+:|\d+", "", str(error))
                signature += ":" + hashlib.sha1(gist.encode()).hexdigest()[:8]
            if signature in seen:
                return
            seen.add(signature)
            path = os.path.join(args.crashes, f"{signature.replace(':', '-')}-{hashlib.sha1(data).hexdigest()[:12]}")
            if not os.path.exists(path):
                with open(path, "wb") as stream:
                    stream.write(data)
                print(f"CRASH {signature}: {str(error)[:300]} -> {path}", file=sys.stderr, flush=True)

    libfuzzer = [sys.argv[0], args.corpus, f"-max_total_time={args.seconds}", f"-timeout={args.timeout}",
                 f"-rss_limit_mb={args.rss_limit_mb}", f"-artifact_prefix={args.crashes}{os.sep}",
                 "-max_len=65536", "-print_final_stats=1"]
    atheris.Setup(libfuzzer, test_one_input)
    atheris.Fuzz()


def replay(target: str, path: str) -> int:
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        RUNNERS[target](data)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return 1
    print("no crash")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=TARGETS)
    parser.add_argument("--seconds", type=int, default=600, help="how long to fuzz in total [600]")
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "fuzz"), help="where corpus/ and crashes/ go [out/fuzz]")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one input may take before it counts as a hang [20]")
    parser.add_argument("--rss-limit-mb", type=int, default=4096, help="memory one run may take [4096]")
    parser.add_argument("--replay", metavar="FILE", help="run one saved input and print its traceback")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replay:
        return replay(args.target, args.replay)
    args.corpus = os.path.join(args.out, args.target, "corpus")
    args.crashes = os.path.join(args.out, args.target, "crashes")
    os.makedirs(args.crashes, exist_ok=True)
    if args.worker:
        worker(args)
        return 0
    seed(args.target, args.corpus)
    deadline = time.monotonic() + args.seconds
    executions, cov, ft, runs = 0, 0, 0, 0
    while (left := int(deadline - time.monotonic())) > 5:
        runs += 1
        command = [sys.executable, os.path.abspath(__file__), args.target, "--worker", "--seconds", str(left),
                   "--out", args.out, "--timeout", str(args.timeout), "--rss-limit-mb", str(args.rss_limit_mb)]
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, errors="replace")
        last = 0
        for line in process.stderr:
            sys.stderr.write(line)
            status = STATUS.search(line)
            if status:
                last = int(status.group(1))
                cov, ft = max(cov, int(status.group(2))), max(ft, int(status.group(3)))
        process.wait()
        executions += last
    crashes = sorted(os.listdir(args.crashes))
    print(f"fuzz {args.target}: {executions:,} inputs in {args.seconds} s over {runs} run(s); "
          f"cov: {cov} ft: {ft}; corpus: {len(os.listdir(args.corpus))} inputs; "
          f"crashes: {len(crashes)} in {args.crashes}")
    for name in crashes:
        print(f"  {name}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
