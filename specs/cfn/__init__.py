"""CloudFormation and SAM templates as input: the same graph as a spec's.

    graph = load_template("template.yaml")          # SpecError listing the problem
    graph = load_template_text(data, "template.yaml")
    looks_like_template(data)                       # worth reading as a template?

Modules, in the order a template goes through them:

- `decode`     cfn-lint's decoder, the SAM transform, positions in the template
- `resolve`    intrinsic functions; what the template does not fix is `Unknown`
- `model`      the drafts of nodes and flows, and the importer's small helpers
- `mapping`    the tables: CloudFormation type -> spec type and reading function
- `messaging`, `network`, `compute`, `edge`, `policies`: those functions, by area
- `build`      drafts -> the loader's `Resource`/`Flow` objects -> `build_graph`
- `to_spec`    an imported graph written as a spec (`archlint import`)
"""

from __future__ import annotations

import networkx as nx

from ..errors import Problem, SpecError
from ..inputfile import InputRefused, read_input
from .build import import_template
from .decode import looks_like_template, read_template


def load_template_text(data: bytes | str, file: str = "<template>", rule_known=None) -> nx.MultiDiGraph:
    """`rule_known(selector)` checks the rule ids of `Metadata.archlint.ignore` (ignores.py)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    template = read_template(data, file)
    try:
        return import_template(template, rule_known)
    except SpecError:
        raise
    except Exception as error:  # noqa: BLE001 - a user sees a message, never a traceback
        raise SpecError([Problem(file, 1, 1, f"{BUG}: {type(error).__name__}: {error}")]) from error


# A template archlint fails on is archlint's fault: say so instead of a traceback.
BUG = "archlint could not import this template (a bug in archlint; please report it with the template)"


def load_template(path: str, rule_known=None) -> nx.MultiDiGraph:
    try:
        data = read_input(path)
    except InputRefused as error:
        raise SpecError([error.problem]) from None
    return load_template_text(data, path, rule_known)


__all__ = ["load_template", "load_template_text", "looks_like_template"]
