"""From a decoded template to the graph of docs/spec.md: drafts for every resource, their
attributes and flows (mapping.py), then the spec loader's own `Resource`/`Flow`
objects and `build_graph`, so that an imported graph has exactly a spec's shape.

Imported nodes carry three more attributes: `logical_id` (the template's name),
`cfn_type`, and `unknown_reasons` (attribute -> why the template does not fix it);
`unknown` lists those attributes, sorted. Resources of types archlint does not model
are nodes of type `cfn.resource` (opaque: rules ignore them, diagrams draw them).
"""

from __future__ import annotations

import os
import re

import networkx as nx

from .. import types as T
from ..crosscheck import check_spec
from ..flowreader import Flow
from ..flows import DEFAULT_S3_EVENTS, FLOW_PAIRS
from ..graph import build_graph
from ..reader import Resource, SpecReader
from ..errors import SpecError
from .decode import Template
from .ignores import read_ignore
from .kept import kept_flows, kept_id, not_emitted, part_of, read_kept, top_level
from .mapping import FOLDED, NODES, bucket_events, policy_flows, public_subnets, route_flows
from .model import LAMBDA_QUALIFIERS, OPAQUE, Draft, Importer, spec_id
from .resolve import ResourceRef
from .tags import read_tags

# Types with no node and no meaning of their own for archlint: access grants, target
# groups (read through the listeners that use them), Lambda aliases and versions.
PLUMBING = {
    "AWS::Lambda::Permission",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    *LAMBDA_QUALIFIERS,  # drawn and checked as their function (Importer.through_qualifiers)
}
_HOOK_EVENTS = {"EC2 Instance-launch Lifecycle Action": "launching", "EC2 Instance-terminate Lifecycle Action": "terminating"}
_AZ = re.compile(r"^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)[a-z]$")


def import_template(template: Template, rule_known=None) -> nx.MultiDiGraph:
    imp = Importer(template)
    _draft_all(imp)
    file_ignore = _ignores(imp, rule_known)
    for logical_id, draft in list(imp.drafts.items()):
        if draft.type != OPAQUE and not draft.folded:
            NODES[draft.cfn_type][1](imp, draft, imp.properties(logical_id))
            read_tags(imp, draft, imp.properties(logical_id))
            read_kept(imp, draft)
    for logical_id, draft in list(imp.drafts.items()):
        if draft.cfn_type in FOLDED:
            FOLDED[draft.cfn_type](imp, logical_id, imp.properties(logical_id))
    route_flows(imp)
    bucket_events(imp)
    public_subnets(imp)
    policy_flows(imp)
    _fold_hook_rules(imp)
    _demote_unanchored(imp)
    return _graph(imp, file_ignore)


def _draft_all(imp: Importer) -> None:
    taken: set[str] = {found for found in map(kept_id, imp.resources.values()) if found}
    for logical_id, resource in imp.resources.items():
        cfn_type = resource["Type"]
        spec_type = NODES[cfn_type][0] if cfn_type in NODES else OPAQUE
        if logical_id in imp.template.unexpanded:
            spec_type = OPAQUE  # a loop's resources whose number the template does not fix
        if cfn_type == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            kind = imp.value(imp.properties(logical_id).get("Type"))
            spec_type = "alb" if kind in (None, "application") else OPAQUE
        line, column = imp.resource_position(logical_id)
        node_id = kept_id(resource) or _unique(spec_id(str(logical_id)), taken)  # the spec id archlint emit kept
        draft = Draft(str(logical_id), node_id, cfn_type, spec_type, line, column,
                      folded=cfn_type in FOLDED or cfn_type in PLUMBING or part_of(resource))
        imp.drafts[str(logical_id)] = draft


def _ignores(imp: Importer, rule_known) -> tuple[dict, dict]:
    """Metadata.archlint.ignore of the template and of each resource (ignores.py)."""
    problems: list = []
    file = imp.template.file
    file_ignore = read_ignore(file, imp.template.source, rule_known, problems)
    for logical_id, draft in imp.drafts.items():
        owner, path = imp.origin(logical_id)
        if owner == logical_id:
            ignores, positions = read_ignore(file, imp.source_resources[owner], rule_known, problems)
            if ignores:
                draft.values["ignore"] = ignores
                draft.positions.update(positions)
    if problems:
        raise SpecError(problems)
    return file_ignore


def _unique(candidate: str, taken: set) -> str:
    found, number = candidate, 2
    while found in taken:
        suffix = f"-{number}"
        found = candidate[:63 - len(suffix)] + suffix
        number += 1
    taken.add(found)
    return found


def _fold_hook_rules(imp: Importer) -> None:
    """A lifecycle hook reaches a function through an EventBridge rule matching the
    hook's event for that group (AWS requires it; the emitter writes it so). Such a
    rule is the hook's target, not a resource of its own."""
    for logical_id, draft in imp.drafts.items():
        if draft.type != "events.rule" or draft.folded:
            continue
        pattern = imp.value(imp.properties(logical_id).get("EventPattern"))
        if not isinstance(pattern, dict) or pattern.get("source") != ["aws.autoscaling"]:
            continue
        kinds = pattern.get("detail-type")
        detail = pattern.get("detail") if isinstance(pattern.get("detail"), dict) else {}
        groups = detail.get("AutoScalingGroupName")
        if not (isinstance(kinds, list) and len(kinds) == 1 and isinstance(kinds[0], str) and kinds[0] in _HOOK_EVENTS):
            continue
        if not (isinstance(groups, list) and len(groups) == 1 and isinstance(groups[0], ResourceRef)):
            continue
        group = imp.drafts.get(groups[0].logical_id)
        flows = [flow for flow in imp.flows if flow.source == logical_id]
        if group is None or group.type != "autoscaling.group" or len(flows) != 1 or "flows" in draft.unknown:
            continue
        target = imp.drafts[flows[0].target]
        if target.type != "lambda.function":
            continue
        hooks = [hook for hook in group.values.get("lifecycle_hooks", []) if hook["transition"] == _HOOK_EVENTS[kinds[0]] and hook["target"] is None]
        if not hooks:
            continue
        hooks[0]["target"] = target.id
        draft.folded = True
        imp.flows.remove(flows[0])


def _demote_unanchored(imp: Importer) -> None:
    """An alarm on a metric of nothing in the template, or a web ACL protecting nothing
    in it, has no spec form (`watches` and `protects` are required): keep it opaque."""
    for draft in imp.drafts.values():
        if draft.type == "cloudwatch.alarm" and "watches" not in draft.values:
            draft.type = OPAQUE
        elif draft.type == "waf.web_acl" and "protects" not in draft.values:
            draft.type = OPAQUE
    for flow in list(imp.flows):
        if imp.drafts[flow.source].type == OPAQUE or imp.drafts[flow.target].type == OPAQUE:
            imp.flows.remove(flow)


def _region(imp: Importer) -> str:
    for draft in imp.drafts.values():
        zone = draft.values.get("az")
        if isinstance(zone, str) and _AZ.match(zone):
            return _AZ.match(zone).group(1)
    return "us-east-1"


def _graph(imp: Importer, file_ignore: tuple[dict, dict]) -> nx.MultiDiGraph:
    template = imp.template
    drafts = sorted((d for d in imp.drafts.values() if not d.folded), key=lambda d: (d.line, d.column))
    region = _region(imp)
    typed = [d for d in drafts if d.type != OPAQUE]
    resources = [_resource(draft) for draft in typed]
    description = template.body.get("Description")
    top = top_level(imp, {"name": _name(template.file), "description": str(description) if isinstance(description, str) else None,
                          "region": region})
    placed = not_emitted(imp, {draft.id for draft in drafts})
    extra = [resource for _, resource in placed]
    check_spec(SpecReader(template.file), resources + extra, top["region"])  # the loader's derived defaults; problems are the template's
    _after_defaults(imp, typed, resources)
    for place, resource in sorted(placed, key=lambda pair: pair[0]):  # back at their place in the spec
        resources.insert(min(place, len(resources)), resource)
    flows, flow_positions, flow_unknown = _flows(imp, {resource.id: resource.type for resource in resources})
    ignores, ignore_positions = file_ignore
    built = build_graph(template.file, top, ignores, {**ignore_positions, **flow_positions}, resources, flows)
    graph = nx.MultiDiGraph(**built.graph)
    graph.graph["cfn"] = True
    pending = [resource.id for _, resource in sorted(placed, key=lambda pair: pair[0])]
    places = {resource.id: place for place, resource in placed}
    placed_count = 0
    for draft in drafts + [None]:  # the template's order; what was not emitted back at its place among them
        while pending and (draft is None or places[pending[0]] <= placed_count):
            node = pending.pop(0)
            graph.add_node(node, **{**built.nodes[node], "cfn_type": None, "logical_id": None, "unknown": [], "unknown_reasons": {}})
            placed_count += 1
        if draft is None:
            break
        if draft.type == OPAQUE:
            reasons = {"count": template.unexpanded[draft.logical_id]} if draft.logical_id in template.unexpanded else {}
            graph.add_node(draft.id, type=OPAQUE, cfn_type=draft.cfn_type, logical_id=draft.logical_id, label=None,
                           description=None, tags=None, ignore=draft.values.get("ignore", {}), unknown=sorted(reasons),
                           unknown_reasons=reasons, line=draft.line, column=draft.column, positions=dict(draft.positions))
            continue
        data = dict(built.nodes[draft.id])
        data.update(cfn_type=draft.cfn_type, logical_id=draft.logical_id,
                    unknown=sorted(draft.unknown), unknown_reasons=dict(sorted(draft.unknown.items())))
        graph.add_node(draft.id, **data)
        placed_count += 1
    graph.add_edges_from(built.edges(keys=True, data=True))
    for _, _, data in graph.edges(data=True):
        if data["kind"] == "flow":
            reasons = flow_unknown.get(data["entry"], {})
            data.update(unknown=sorted(reasons), unknown_reasons=dict(sorted(reasons.items())))
    return graph


def _resource(draft: Draft) -> Resource:
    values = {}
    for name, attribute in T.attributes_of(draft.type).items():
        if name == "type":
            continue
        if name in draft.values:
            values[name] = draft.values[name]
        elif name in draft.unknown:
            values[name] = None  # unknown: never the default, which would be a guess
        elif name == "ignore":
            values[name] = {}
        else:
            values[name] = None if attribute.default is T.DERIVED else attribute.default
    return Resource(draft.id, draft.type, draft.line, draft.column, values, dict(draft.positions))


def _after_defaults(imp: Importer, drafts: list[Draft], resources: list[Resource]) -> None:
    """What the loader derives from unknown values is unknown too; a volume created in
    'the AZ of instance X' gets that instance's AZ once known."""
    by_id = {resource.id: resource for resource in resources}
    drafts_by_id = {draft.id: draft for draft in drafts}
    for draft, resource in zip(drafts, resources):
        if draft.type == "ec2.instance" and resource.values.get("subnet"):
            subnet = drafts_by_id.get(resource.values["subnet"])
            if subnet is not None and "az" in subnet.unknown:
                draft.unknown["az"] = f"the Availability Zone of {subnet.id}, which the template does not fix"
        if draft.type == "autoscaling.group" and "desired" not in draft.values and "min" in draft.unknown:
            draft.unknown["desired"] = draft.unknown["min"]
    for draft, resource in zip(drafts, resources):
        owner = draft.values.get("az_of")
        if draft.type == "ebs.volume" and owner:
            instance = by_id.get(imp.drafts[owner].id)
            zone = instance.values.get("az") if instance else None
            if zone and "az" not in drafts_by_id[instance.id].unknown:
                resource.values["az"] = zone
            else:
                resource.values["az"] = None
                draft.unknown["az"] = f"the Availability Zone of {imp.drafts[owner].id}, which the template does not fix"
        resource.values.pop("az_of", None)
        for name in draft.unknown:
            if name in resource.values:
                resource.values[name] = None


def _flows(imp: Importer, types_by_id: dict) -> tuple[list[Flow], dict, dict]:
    """The flows, their positions, and {flow index: {attribute: why unknown}}."""
    flows, positions, seen, unknown = [], {}, set(), {}
    # flows kept in an emitted template's Metadata first: they have their labels
    candidates = [(flow, {}) for flow in kept_flows(imp, types_by_id)] + _derived_flows(imp)
    for flow, reasons in candidates:
        key = (flow.source, flow.target, tuple(flow.events or ()), flow.prefix, flow.suffix, tuple(sorted(reasons)))
        if key in seen:
            continue
        seen.add(key)
        index = len(flows)
        positions[f"flows[{index}]"] = (flow.line, flow.column)
        if reasons:
            unknown[index] = dict(reasons)
        flows.append(Flow(flow.source, flow.target, flow.relation, flow.invocation, flow.label, flow.events, flow.prefix,
                          flow.suffix, flow.line, flow.column, index))
    return flows, positions, unknown


def _derived_flows(imp: Importer) -> list[tuple[Flow, dict]]:
    """The flows the template's resources imply, each with what it leaves unknown."""
    flows, seen = [], set()
    for draft in imp.flows:
        source, target = imp.drafts[draft.source], imp.drafts[draft.target]
        if source.folded or target.folded:
            continue
        pair = FLOW_PAIRS.get((source.type, target.type))
        if pair is None:
            continue  # not a flow the model knows: no edge rather than a wrong one
        relation, invocation = pair
        if invocation == "async|sync":
            invocation = "sync"
        events = draft.events if relation == "notification" else None
        if relation == "notification" and events is None and "events" not in draft.unknown:
            events = list(DEFAULT_S3_EVENTS)
        key = (source.id, target.id, tuple(events or ()), draft.prefix, draft.suffix, tuple(sorted(draft.unknown)))
        if key in seen:
            continue
        seen.add(key)
        flows.append((Flow(source.id, target.id, relation, invocation, draft.label, events, draft.prefix,
                           draft.suffix, draft.line, draft.column, len(flows)), dict(draft.unknown)))
    return flows


def _name(file: str) -> str:
    stem = os.path.splitext(os.path.basename(file))[0]
    return spec_id(re.sub(r"[^A-Za-z0-9]+", "-", stem)) or "template"
