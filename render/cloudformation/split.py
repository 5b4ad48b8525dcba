"""A template over CloudFormation's 500 resources, split into nested stacks.

CloudFormation takes at most 500 resources in one stack (refusals.MAX_RESOURCES). An
architecture larger than that becomes a parent template whose resources are
`AWS::CloudFormation::Stack`s, one per child template of at most `PER_STACK`
resources, which `aws cloudformation package` uploads to S3 (it rewrites each
`TemplateURL` that names a local file) before `aws cloudformation deploy`.

- The resources are taken in an order where each comes after everything it refers to
  (the spec's order where the references allow), and cut into children in that order:
  a child only ever needs what earlier children made, so the stacks form no cycle.
- A reference to a resource of an earlier child (`Ref`, `Fn::GetAtt`, a `${Name}` or
  `${Name.Attribute}` in `Fn::Sub`) becomes a parameter of the child (`In<Name><Attribute>`),
  which the parent fills from an output of the earlier child (`Out<Name><Attribute>`);
  a `DependsOn` across children becomes a `DependsOn` between their stacks.
- Template parameters and conditions go to the children that use them, filled from
  the parent's parameters of the same name. The template's outputs are outputs of the
  child holding their resource, exported again by the parent under the same names.
"""

from __future__ import annotations

import heapq
import re

from .intrinsics import stack_suffix
from .names import EmitError
from .template import ordered

PER_STACK = 400  # well under the 500 of a stack, for what the child adds (outputs do not count)
OUTPUT_LIMIT = 200
SUFFIX = stack_suffix()
SUFFIX_PARAMETER = "ParentStackSuffix"
_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")  # not ${!literal}, not ${AWS::Region}


def needs_split(data: dict, limit: int) -> bool:
    return len(data["Resources"]) > limit


def split(data: dict, child_file: str) -> tuple[dict, list[dict]]:
    """(parent template, child templates); `child_file` names child N: "orders-{n}.yaml"."""
    resources = data["Resources"]
    order = _dependency_order(resources)
    stack_of = {name: index // PER_STACK for index, name in enumerate(order)}
    count = max(stack_of.values()) + 1
    children = [{"AWSTemplateFormatVersion": data["AWSTemplateFormatVersion"],
                 "Description": f"part {n + 1} of {count}: {data.get('Description', '')}"[:1024],
                 "Metadata": {"archlint": {"Generator": "archlint emit", "Part": n + 1, "Of": count}},
                 "Parameters": {}, "Conditions": {}, "Resources": {}, "Outputs": {}} for n in range(count)]
    inputs: list[dict] = [{} for _ in range(count)]  # child -> parameter -> value the parent passes
    waits: list[set] = [set() for _ in range(count)]  # child -> earlier children it waits for (DependsOn)
    fed: list[set] = [set() for _ in range(count)]  # child -> earlier children whose outputs it takes
    parameters = data.get("Parameters", {})
    conditions = data.get("Conditions", {})

    def reference(child: int, name: str, attribute: str | None) -> str | None:
        """The parameter standing for `name` (or its attribute) in `child`, or None when it needs none."""
        if name in parameters:
            children[child]["Parameters"][name] = _passed(parameters[name])
            inputs[child][name] = {"Ref": name}
            return name
        if name not in stack_of or stack_of[name] == child:
            return None
        owner = stack_of[name]
        suffix = (attribute or "Ref").replace(".", "")
        children[owner]["Outputs"][f"Out{name}{suffix}"] = {
            "Value": {"Fn::GetAtt": [name, attribute]} if attribute else {"Ref": name}}
        parameter = f"In{name}{suffix}"
        children[child]["Parameters"][parameter] = {"Type": "String", "Description": f"{name}{'.' + attribute if attribute else ''} of part {owner + 1}"}
        inputs[child][parameter] = {"Fn::GetAtt": [_stack_name(owner), f"Outputs.Out{name}{suffix}"]}
        fed[child].add(owner)  # the GetAtt orders the stacks already
        return parameter

    def rewrite(child: int, value):
        if value == SUFFIX:  # names chosen in advance use the parent's stack id, in every child
            children[child]["Parameters"][SUFFIX_PARAMETER] = {"Type": "String", "Description": "the parent stack's suffix"}
            inputs[child][SUFFIX_PARAMETER] = SUFFIX
            return {"Ref": SUFFIX_PARAMETER}
        if isinstance(value, dict):
            if set(value) == {"Ref"} and isinstance(value["Ref"], str):
                found = reference(child, value["Ref"], None)
                return {"Ref": found} if found else value
            if set(value) == {"Fn::GetAtt"}:
                name, attribute = value["Fn::GetAtt"][0], ".".join(value["Fn::GetAtt"][1:])
                found = reference(child, name, attribute) if name not in parameters else None
                return {"Ref": found} if found else value
            if set(value) == {"Fn::Sub"}:
                body = value["Fn::Sub"]
                text, variables = (body[0], body[1]) if isinstance(body, list) else (body, {})
                text = _SUB_NAME.sub(lambda m: _sub_name(m, variables, lambda n, a: reference(child, n, a)), text)
                rewritten = {key: rewrite(child, item) for key, item in variables.items()}
                return {"Fn::Sub": [text, rewritten] if isinstance(body, list) else text}
            return {key: rewrite(child, item) for key, item in value.items()}
        if isinstance(value, list):
            return [rewrite(child, item) for item in value]
        return value

    for name in resources:  # the template's order within each child
        child = stack_of[name]
        body = dict(resources[name])
        depends = body.pop("DependsOn", None)
        body = rewrite(child, body)
        if depends:
            local = [d for d in depends if stack_of[d] == child]
            waits[child].update(stack_of[d] for d in depends if stack_of[d] != child)
            if local:
                body = {**body, "DependsOn": local}
        if "Condition" in body:
            _condition(children[child], inputs[child], body["Condition"], conditions, parameters)
        children[child]["Resources"][name] = ordered(body)

    parent = {key: data[key] for key in ("AWSTemplateFormatVersion", "Description", "Metadata") if key in data}
    if parameters:
        parent["Parameters"] = parameters
    parent["Resources"] = {}
    outputs = {}
    for output, body in data.get("Outputs", {}).items():
        owner = _owner_of(body["Value"], stack_of)
        children[owner]["Outputs"][output] = {"Value": rewrite(owner, body["Value"])}
        outputs[output] = {**body, "Value": {"Fn::GetAtt": [_stack_name(owner), f"Outputs.{output}"]}}
    for n, child in enumerate(children):
        for section in ("Parameters", "Conditions", "Outputs"):
            if not child[section]:
                del child[section]
        if len(child.get("Outputs", {})) > OUTPUT_LIMIT:
            raise EmitError(f"archlint: not deployable: part {n + 1} of the split template would need "
                            f"{len(child['Outputs'])} outputs (CloudFormation takes {OUTPUT_LIMIT}); split the spec instead", status=1)
        stack: dict = {"Type": "AWS::CloudFormation::Stack"}
        if waits[n] - fed[n]:
            stack["DependsOn"] = sorted(_stack_name(w) for w in waits[n] - fed[n])
        stack["Properties"] = {"TemplateURL": child_file.format(n=n + 1)}
        if inputs[n]:
            stack["Properties"]["Parameters"] = dict(sorted(inputs[n].items()))
        parent["Resources"][_stack_name(n)] = stack
    if outputs:
        parent["Outputs"] = outputs
    return parent, children


def _stack_name(index: int) -> str:
    return f"Part{index + 1}"


def _sub_name(match, variables: dict, reference) -> str:
    name, attribute = match.group(1), match.group(2)
    if name in variables:
        return match.group(0)
    found = reference(name, attribute)
    return f"${{{found}}}" if found else match.group(0)


def _condition(child: dict, inputs: dict, name: str, conditions: dict, parameters: dict) -> None:
    """A condition and the parameters it reads (archlint's conditions read parameters only)."""
    child["Conditions"][name] = conditions[name]
    for parameter in _refs(conditions[name]):
        if parameter in parameters:
            child["Parameters"][parameter] = _passed(parameters[parameter])
            inputs[parameter] = {"Ref": parameter}


def _passed(parameter: dict) -> dict:
    """A parameter as a child receives it: the parent resolves an SSM parameter (an
    image id from its path), so the child takes the resolved value's type."""
    kind = parameter["Type"]
    if kind.startswith("AWS::SSM::Parameter::Value<") and kind.endswith(">"):
        return {"Type": kind[len("AWS::SSM::Parameter::Value<"):-1], "Description": parameter.get("Description", "")}
    return parameter


def _refs(value) -> list[str]:
    if isinstance(value, dict):
        found = [value["Ref"]] if isinstance(value.get("Ref"), str) else []
        return found + [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def _owner_of(value, stack_of: dict) -> int:
    names = [name for name in _mentioned(value) if name in stack_of]
    return stack_of[names[0]] if names else 0


def _mentioned(value) -> list[str]:
    """The logical ids an expression refers to, in order."""
    if isinstance(value, dict):
        if isinstance(value.get("Ref"), str):
            return [value["Ref"]]
        if "Fn::GetAtt" in value:
            return [value["Fn::GetAtt"][0]]
        if "Fn::Sub" in value:
            body = value["Fn::Sub"]
            text = body[0] if isinstance(body, list) else body
            return [m.group(1) for m in _SUB_NAME.finditer(text)] + (_mentioned(body[1]) if isinstance(body, list) else [])
        return [name for item in value.values() for name in _mentioned(item)]
    if isinstance(value, list):
        return [name for item in value for name in _mentioned(item)]
    return []


def _dependency_order(resources: dict) -> list[str]:
    """Every resource after the ones it refers to, otherwise in the template's order."""
    index = {name: position for position, name in enumerate(resources)}
    needs = {name: {n for n in _mentioned(body) + list(body.get("DependsOn", [])) if n in index and n != name}
             for name, body in resources.items()}
    users: dict[str, list[str]] = {name: [] for name in resources}
    for name, wanted in needs.items():
        for other in wanted:
            users[other].append(name)
    waiting = {name: len(wanted) for name, wanted in needs.items()}
    ready = [index[name] for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    names = list(resources)
    order = []
    while ready:
        name = names[heapq.heappop(ready)]
        order.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, index[user])
    if len(order) != len(resources):
        raise EmitError("archlint: the template's resources refer to each other in a cycle; it cannot be split", status=1)
    return order


