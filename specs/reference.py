"""The format reference, docs/spec.md, as Markdown: prose written here around tables
rendered from the loader's own tables (`types.py`, `flows.py`), so the reference
cannot drift from what the loader accepts.

    archlint schema --markdown > docs/spec.md

prints it (a test fails when the committed file is stale), and a user of the
installed package reads the same page with that command. The prose states what the
tables cannot: the checks that need several values (`crosscheck.py`), the flow
options (`flowreader.py`), the graph (`graph.py`) and the public API.
"""

from __future__ import annotations

from . import types as T
from .flows import DEFAULT_S3_EVENTS, FLOW_TABLE, targets_of
from .reader import REGION, RESOURCE_ID, RULE_SELECTOR

REGENERATE = "archlint schema --markdown > docs/spec.md"

# What CloudFormation `archlint emit` writes for each type (tests/test_spec_doc.py
# checks it against the importer's table and the emitter's list of types left out).
CLOUDFORMATION = {
    "external": "not emitted (outside AWS)",
    "sqs.queue": "AWS::SQS::Queue",
    "sns.topic": "AWS::SNS::Topic",
    "lambda.function": "AWS::Lambda::Function (+ IAM role, EventInvokeConfig)",
    "s3.bucket": "AWS::S3::Bucket",
    "events.rule": "AWS::Events::Rule",
    "vpc": "AWS::EC2::VPC",
    "subnet": "AWS::EC2::Subnet",
    "security_group": "AWS::EC2::SecurityGroup",
    "network_acl": "AWS::EC2::NetworkAcl (+ entries, subnet associations)",
    "ec2.instance": "AWS::EC2::Instance (+ VolumeAttachment)",
    "ebs.volume": "AWS::EC2::Volume",
    "ec2.eip": "AWS::EC2::EIP",
    "autoscaling.group": "AWS::AutoScaling::AutoScalingGroup (+ LaunchTemplate, LifecycleHook)",
    "placement_group": "AWS::EC2::PlacementGroup",
    "alb": "AWS::ElasticLoadBalancingV2::LoadBalancer (+ listener, target groups)",
    "waf.web_acl": "AWS::WAFv2::WebACL (+ IPSet, association)",
    "cloudwatch.alarm": "AWS::CloudWatch::Alarm",
    "directconnect.connection": "AWS::DirectConnect::Connection (only with `location`; otherwise not emitted)",
    "datasync.task": "not emitted in format 1",
    "snowball.job": "not emitted (a device order; no CloudFormation type)",
    "scheduler.schedule": "not emitted (a schedule delivers with an execution role the spec does not describe); imported from AWS::Scheduler::Schedule",
    "batch.compute_environment": "not emitted in format 1",
    "parallelcluster.cluster": "not emitted (AWS ParallelCluster deploys it)",
}

# The keys of a flow mapping, described (FLOW_KEYS is the list the loader accepts).
FLOW_OPTIONS = {
    "from": ("id", "required", "the sender"),
    "to": ("id, or a list of ids", "required", "the receivers: one flow per id; an id listed twice is an error"),
    "label": ("text", "–", "what the diagram writes on the arrow"),
    "events": ("S3 event name, or a list of them", f"`{', '.join(DEFAULT_S3_EVENTS)}` on a flow from an s3.bucket",
               "only on a flow from an `s3.bucket`: the notifications it sends (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ...)"),
    "prefix": ("text", "–", "only on a flow from or into an `s3.bucket`: from a bucket, the key prefix of the "
               "notifications; into a bucket, the keys the sender writes"),
    "suffix": ("text", "–", "as `prefix`, for the end of the key (`.jpg`)"),
    "async": ("true or false", "false", "only between two `lambda.function`s: an asynchronous (Event) invoke "
              "instead of a synchronous one"),
}

# Where a default comes from when it is computed (T.DERIVED), one sentence each.
DERIVED_DEFAULTS = {
    ("sqs.queue", "max_receive_count"): "5 when the queue has a `dead_letter`; without one it stays unset "
        "(None in the graph), and giving it is an error: it only means something with a redrive target.",
    ("ec2.instance", "az"): "the AZ of the instance's `subnet`. Give `subnet` or `az`, not both (an error). "
        "With neither, the AZ is unknown (None) and rules about AZs skip the instance.",
    ("ebs.volume", "az"): "the AZ of the one instance that lists the volume in `volumes`, or of several "
        "instances when they share one AZ. Required when no instance lists it, when the instances listing it "
        "are in different AZs, or when an Auto Scaling group lists it (a group has no single AZ).",
    ("autoscaling.group", "max"): "the larger of 1 and `min`.",
    ("autoscaling.group", "desired"): "`min`. The three must satisfy min ≤ desired ≤ max.",
    ("cloudwatch.alarm", "metric"): "by the type of the watched resource, as in the table below.",
    ("sns.topic", "encrypted"): "true (the AWS managed key `alias/aws/sns`) unless S3, EventBridge or a "
        "CloudWatch alarm publishes to the topic: those services cannot use the AWS managed key, so the topic "
        "stays unencrypted rather than undeliverable (docs/emit.md).",
    ("alb", "listener_port"): "443 when `listener_protocol` is HTTPS, 80 when it is HTTP.",
    ("alb", "target_port"): "the one port the targets' security groups open to the load balancer; when they "
        "open none or several, `emit` asks for it (an error), since a guess would fail every health check.",
}

# structured list kind -> (section title, plural in a value column, anchor)
RECORDS = {
    T.SG_RULES: ("Security group rule", "security group rules", "sg-rule"),
    T.NACL_RULES: ("Network ACL rule", "network ACL rules", "nacl-rule"),
    T.LIFECYCLE_HOOKS: ("Lifecycle hook", "lifecycle hooks", "lifecycle-hook"),
}

RECORD_NOTES = {
    T.SG_RULES: (
        "A rule takes exactly one of `cidr` and `group`. `ports` is required for tcp and udp and "
        "an error with icmp and all. A group may name itself in `group`. A group with no egress rule "
        "allows all egress (AWS's default). `action: deny` is read on purpose, so that SG001 can "
        "explain why a security group cannot deny; `archlint emit` refuses it."
    ),
    T.NACL_RULES: (
        "`ports` belong to tcp and udp only (absent means all ports; an error with icmp or all). Two "
        "rules of one ACL with the same `number` and `direction` are an error: numbers decide the order."
    ),
    T.LIFECYCLE_HOOKS: (
        "A hook whose target is a `lambda.function` reaches it through an EventBridge rule, as AWS "
        "requires; a queue or topic target receives the hook's notifications."
    ),
}


def spec_markdown() -> str:
    """docs/spec.md, whole."""
    parts = [
        _intro(),
        _a_file(),
        _values(),
        _common(),
        _types(),
        _derived(),
        _records(),
        _flows(),
        _ignores(),
        _graph(),
        _templates(),
        _api(),
        _errors(),
        _departures(),
    ]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


# -- rendering the tables --------------------------------------------------------------


def value_text(attribute: T.Attribute) -> str:
    """What an attribute takes, in words."""
    kind = attribute.kind
    if kind == T.TEXT:
        return "text"
    if kind == T.BOOL:
        return "true or false"
    if kind == T.INT:
        return f"whole number {attribute.minimum}–{attribute.maximum}"
    if kind == T.CHOICE:
        return "one of " + ", ".join(f"`{choice}`" for choice in attribute.choices)
    if kind == T.REF:
        return "id of " + _either(attribute.refs)
    if kind == T.REF_LIST:
        return "list of ids of " + _either(attribute.refs)
    if kind == T.CIDR:
        return "CIDR"
    if kind == T.CIDR_LIST:
        return "list of CIDRs"
    if kind == T.TEXT_LIST:
        return "list of text"
    if kind == T.AZ:
        return "Availability Zone of the region"
    if kind == T.SCHEDULE:
        return "`rate(...)` or `cron(...)`"
    if kind == T.MAPPING:
        return "mapping"
    if kind == T.WEIGHTS:
        return "mapping of target id to a whole number 0–999"
    if kind == "ports":
        return 'port `N` or range `"N-M"`'
    if kind in RECORDS:
        _title, plural, anchor = RECORDS[kind]
        return f"list of [{plural}](#{anchor})"
    raise AssertionError(f"no description for attribute kind {kind}")


def default_text(attribute: T.Attribute) -> str:
    if attribute.default is T.DERIVED:
        return "[derived](#derived-defaults)"
    if attribute.default is None:
        return "–"
    if isinstance(attribute.default, bool):
        return f"`{str(attribute.default).lower()}`"
    return f"`{attribute.default}`"


def attribute_table(attributes: dict[str, T.Attribute]) -> str:
    rows = ["| attribute | value | default | required | notes |", "|---|---|---|---|---|"]
    for name, attribute in attributes.items():
        rows.append(
            f"| `{name}` | {_cell(value_text(attribute))} | {default_text(attribute)} | "
            f"{'yes' if attribute.required else '–'} | {_cell(attribute.doc) or '–'} |"
        )
    return "\n".join(rows)


def invocation_text(invocation: str | None) -> str:
    if invocation is None:
        return "–"
    if invocation == "async|sync":
        return "`sync`, or `async` with `async: true`"
    return f"`{invocation}`"


def flow_table() -> str:
    rows = ["| from | to | relation | invocation |", "|---|---|---|---|"]
    for sources, targets, relation, invocation in FLOW_TABLE:
        rows.append(
            f"| {', '.join(f'`{s}`' for s in sources)} | {', '.join(f'`{t}`' for t in targets)} | "
            f"`{relation}` | {invocation_text(invocation)} |"
        )
    return "\n".join(rows)


def _either(names) -> str:
    """`a`, `b` or `c`."""
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _anchor(type_name: str) -> str:
    """The fragment of a type's section: GitHub drops the dots and underscores stay."""
    return type_name.replace(".", "")


# -- the page, section by section ---------------------------------------------------------


def _intro() -> str:
    return f"""
# The archlint spec format (format 1)

Generated by `{REGENERATE}` from the loader's own tables;
do not edit by hand (the prose lives in `specs/reference.py`). An installed archlint
prints the same page with `archlint schema --markdown`.

A spec is a YAML file that describes one AWS architecture. archlint loads it into a
graph; the linter, the diagrams and the CloudFormation emitter all read that graph.
`archlint schema` writes the same format as a JSON Schema, for editors. Extending the
format (new types, attributes, flow pairs) keeps old files valid; changing what is
written here would break users' files and needs a new format number.
"""


def _a_file() -> str:
    keys = ["| key | required | meaning |", "|---|---|---|"]
    for key, meaning in T.SPEC_KEYS.items():
        keys.append(f"| `{key}` | {'yes' if key in T.SPEC_REQUIRED else '–'} | {_cell(meaning)} |")
    return f"""
## A file

```yaml
archlint: 1                 # required, the integer 1: marks the file as a spec and names the format
name: orders                # required, same pattern as resource ids
description: Order intake   # optional
region: us-east-1           # optional, default us-east-1

resources:                  # required, at least one: id -> resource
  checkout:
    type: external
    kind: service
  orders-topic:
    type: sns.topic
  billing-queue:
    type: sqs.queue
    dead_letter: billing-dlq
    max_receive_count: 5
  billing-dlq:
    type: sqs.queue
  billing-fn:
    type: lambda.function
    runtime: python3.12
  audit-queue:
    type: sqs.queue
    dead_letter: billing-dlq
  audit-fn:
    type: lambda.function
    timeout: 10

flows:                      # optional: who sends, publishes, triggers or routes to whom
  - checkout -> orders-topic -> billing-queue -> billing-fn
  - from: orders-topic
    to: [audit-queue]
    label: order placed
  - audit-queue -> audit-fn

ignore:                     # optional: rule id (or family prefix) -> reason, for the whole file
  SQS002: the audit function is idempotent and short
```

The top-level keys:

{chr(10).join(keys)}

- `name` and resource ids match `{RESOURCE_ID.pattern}`: a lowercase letter, then
  lowercase letters, digits and dashes, at most 63 characters. Ids are unique in the
  file (a duplicate YAML key is an error).
- `region` matches `{REGION.pattern}` (`us-east-1`, `eu-west-2`, `us-gov-west-1`);
  `az` values must be zones of that region.
- One YAML document per file. Anchors, aliases and merge keys are allowed, within a
  limit on how far aliases may expand a file. Tags other than the YAML core schema's
  (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`) are errors.
  Where text is expected (`label: 404`, tag values), a number or boolean is read as the
  text written (`version: 3.10` stays `3.10`).
- A YAML file found while scanning a folder is a spec when a line starts with
  `archlint:`; such a file that does not parse is reported, other YAML files are
  skipped. A file named explicitly that is no spec is an error, unless it is a
  CloudFormation or SAM template, which is imported (see below).
- Unknown keys are errors, with the nearest known key suggested ("did you mean").
- `key:` with no value (null) is the same as leaving the key out.
"""


def _values() -> str:
    return """
## Values

| value | written as |
|---|---|
| text | a YAML scalar; numbers and booleans are kept as written |
| true or false | a YAML boolean |
| whole number A–B | an integer in that range, both ends included (a boolean is not a number) |
| one of ... | exactly one of the listed words |
| id of a `T` | the id of another resource of this spec, of type `T` (a missing id, or a resource of another type, is an error) |
| list of ids | a YAML list of ids; a single id is read as a one-item list; an id listed twice is an error |
| CIDR | an IPv4 or IPv6 network such as `10.0.0.0/16`; host bits set are an error that names the network meant (`10.0.0.5/16` -> `10.0.0.0/16`) |
| Availability Zone | a full zone name of the spec's region (`us-east-1a`) |
| `rate(...)` or `cron(...)` | an EventBridge schedule: `rate(1 hour)`, `rate(5 minutes)` (singular for 1, plural above), or `cron(...)` with six fields |
| port or range | `443`, or `"1024-65535"` (0–65535, low to high) |
| mapping | a YAML mapping (`tags`: text -> text; `pattern`: any EventBridge event pattern) |
"""


def _common() -> str:
    attributes = {name: attribute for name, attribute in T.COMMON.items()}
    return f"""
## Attributes of every resource

{attribute_table(attributes)}

`type` is one of the types below. `label` is what diagrams show (the id is shown where
there is none). `ignore` is described under [Ignores](#ignores).
"""


def _types() -> str:
    summary = ["| type | attributes | CloudFormation (`archlint emit`) |", "|---|---|---|"]
    for type_name, attributes in T.TYPES.items():
        names = ", ".join(f"`{name}`" for name in attributes) or "–"
        summary.append(f"| [`{type_name}`](#{_anchor(type_name)}) | {names} | {_cell(CLOUDFORMATION.get(type_name, '–'))} |")
    sections = []
    for type_name, attributes in T.TYPES.items():
        targets = targets_of(type_name)
        sources = sorted({source for sources_, targets_, _, _ in FLOW_TABLE for source in sources_ if type_name in targets_})
        lines = [f"### {type_name}"]
        if attributes:
            lines.append(attribute_table(attributes))
        else:
            lines.append("No attributes of its own.")
        if targets or sources:
            lines.append(
                "Flows to: " + (", ".join(f"`{t}`" for t in targets) if targets else "nothing") + ". "
                "Flows from: " + (", ".join(f"`{s}`" for s in sources) if sources else "nothing") + "."
            )
        else:
            lines.append("Takes part in no flow: other resources name it, or it names them, by reference.")
        sections.append("\n\n".join(lines))
    return (
        "## Types and their attributes\n\n"
        "Every type with its own attributes (the [common ones](#attributes-of-every-resource) "
        "come on top). A type that is not emitted still appears in diagrams and lint; `emit` "
        "lists it in the template's `Metadata` and says so on standard error.\n\n"
        + "\n".join(summary) + "\n\n" + "\n\n".join(sections)
    )


def _derived() -> str:
    lines = ["## Derived defaults", "",
             "Some defaults are computed from other values of the spec; the graph holds the computed value."]
    lines.append("")
    for (type_name, name), text in DERIVED_DEFAULTS.items():
        lines.append(f"- `{type_name}` `{name}`: {text}")
    lines.append("")
    lines.append("| watched type | default `metric` |")
    lines.append("|---|---|")
    for watched, metric in T.DEFAULT_METRIC.items():
        lines.append(f"| `{watched}` | `{metric}` |")
    return "\n".join(lines)


def _records() -> str:
    sections = ["## Structured list attributes"]
    for kind, fields in T.RECORD_FIELDS.items():
        title, _plural, anchor = RECORDS[kind]
        users = [f"`{type_name}` `{name}`" for type_name, attributes in T.TYPES.items()
                 for name, attribute in attributes.items() if attribute.kind == kind]
        sections.append(
            f'<a id="{anchor}"></a>\n\n### {title}\n\n'
            f"Each entry of {', '.join(users)} is a mapping of these fields:\n\n"
            f"{attribute_table(fields).replace('| attribute |', '| field |', 1)}\n\n{RECORD_NOTES[kind]}"
        )
    sections.append(
        "Other cross-resource checks: a subnet's `cidr` is IPv4, inside its VPC's and overlaps no "
        "sibling subnet's; a network ACL's `subnets` are in the ACL's VPC and each subnet is in at "
        "most one ACL; an `alb`'s `subnets` span at least two Availability Zones; an `events.rule` "
        "needs a `schedule`, a `pattern`, or both."
    )
    return "\n\n".join(sections)


def _flows() -> str:
    options = ["| key | value | default | meaning |", "|---|---|---|---|"]
    assert set(FLOW_OPTIONS) == set(T.FLOW_KEYS), "FLOW_KEYS changed: describe the new key in FLOW_OPTIONS"
    for key in T.FLOW_KEYS:
        value, default, meaning = FLOW_OPTIONS[key]
        options.append(f"| `{key}` | {value} | {default} | {_cell(meaning)} |")
    return f"""
## Flows

`flows:` is a list. Each entry is either a string `a -> b` (a chain `a -> b -> c` is two
flows, `a -> b` and `b -> c`) or a mapping:

{chr(10).join(options)}

A list in `to` is one flow per target; from a sender that is not a topic it means the
sender itself delivers the message to each target in turn (FAN001 is about that).
An option that does not belong to the pair of types is an error.

What a flow means follows from the two types: its **relation**, and for flows that
invoke code, its **invocation** (`async`: the service invokes and retries on its own;
`poll`: the consumer polls; `sync`: the caller waits). Any pair not in this table is an
error that lists what the source may flow to.

{flow_table()}
"""


def _ignores() -> str:
    return f"""
## Ignores

`ignore:` silences findings that are deliberate, always with a reason. At the top of
the file it covers the whole spec; on a resource it covers findings that name that
resource.

```yaml
resources:
  app:
    type: ec2.instance
    ignore:
      FAN001: app routes different messages to different queues
ignore:
  XFER001: the Snowball import is a one-off
```

- A key is a rule id (`DLQ001`) or a family prefix (`DLQ`): it matches
  `{RULE_SELECTOR.pattern}` and must name a known rule, built in or from an installed
  plugin (`archlint rules` lists them).
- The reason is text and never empty.
- An entry that silences nothing is itself a finding (ARCH001), judged only when every
  rule it names ran. `archlint check --show-ignored` lists what the entries silenced.
- In a CloudFormation or SAM template, the same mapping goes under
  `Metadata: {{archlint: {{ignore: ...}}}}`, of the template or of one resource.
"""


def _graph() -> str:
    references = sorted({name for attributes in T.TYPES.values()
                         for name, attribute in attributes.items() if attribute.kind in T.REFERENCE_KINDS})
    return f"""
## The graph

The loader turns a spec into a `networkx.MultiDiGraph`. It is part of the public API:
rules (built in and custom), renderers and the emitter read this graph and nothing else,
so its names are fixed.

`graph.graph` holds:

| key | value |
|---|---|
| `file` | the path as given |
| `name`, `description`, `region` | the spec's (`region` with its default) |
| `ignore` | file-level ignores: rule id or prefix -> reason |
| `positions` | `"ignore.ID"` and `"flows[i]"` -> (line, column) |
| `cfn` | `True` for a graph imported from a CloudFormation or SAM template (absent for a spec) |

**Nodes.** One per resource, keyed by its id, inserted in file order (iterating the
graph is deterministic), with:

| attribute | value |
|---|---|
| `type` | the resource type |
| every attribute of the type | its value, with the default applied; an absent optional attribute is present with the value None. `ignore` is a dict, `tags` a dict, list attributes lists, structured entries dicts with every field |
| `line`, `column` | 1-based position of the resource's key in the file |
| `positions` | attribute name -> (line, column) for each attribute the file spells out, `"attr[i]"` for the i-th item of a list attribute (`"rules[2]"`, `"subnets[0]"`), `"attr[i].field"` for a field of a structured entry, `"ignore.ID"` for a resource-level ignore |
| `unknown` | the attributes whose value could not be known: always empty for a spec; for an imported template, what a parameter, condition or outside resource decides (plus `"flows"` when a flow's other end is unknown). Rules skip those (`archlint.linter.rule.known`) |

Derived defaults are applied on the node: an `ec2.instance` with a `subnet` has `az` set
to that subnet's AZ; an `ebs.volume` without `az` takes it from the instance that lists
it; `max_receive_count`, `max`, `desired` and `metric` as [above](#derived-defaults).

**Flow edges.** One per flow target, from the sender to the receiver:

| attribute | value |
|---|---|
| `kind` | `"flow"` |
| `relation` | the relation of the flow table |
| `invocation` | `"async"`, `"poll"`, `"sync"` or None |
| `label` | text or None |
| `events` | list of S3 event names on a notification from a bucket (default `{", ".join(DEFAULT_S3_EVENTS)}`), else None |
| `prefix`, `suffix` | text or None |
| `line`, `column` | position of the flow's list entry |
| `entry` | the index of that entry in `flows:` |

**Reference edges.** One per reference, from the resource that holds the attribute to
the resource it names, one per item of a list:

| attribute | value |
|---|---|
| `kind` | `"ref"` |
| `relation` | the attribute's name: {', '.join(f'`{name}`' for name in references)}; `"lifecycle_hook"` for a hook's `target` (with `transition`), `"group"` for a security group rule naming a group (with `rule`, the rule's 0-based index) |
| `line`, `column` | position of the attribute (of the list entry for hooks and rules) |

A subnet **holds** an `ec2.instance` whose `subnet` it is and an `autoscaling.group`
that lists it in `subnets` (rules use this word).

A graph imported from a template also gives its nodes `logical_id`, `cfn_type` and
`unknown_reasons` (attribute -> why it is unknown); resources of types outside this
page are `cfn.resource` nodes, which rules ignore and diagrams draw.
"""


def _templates() -> str:
    return """
## CloudFormation and SAM as input

A CloudFormation or SAM template (YAML with its short-form tags such as `!Ref`, or
JSON) given where a spec is expected is imported into the same graph: every resource
type in the table above maps back; flows come from event source mappings,
subscriptions, bucket notifications, rule targets, listeners, lifecycle hooks and
alarm actions; resources of other types are kept as opaque `cfn.resource` nodes. SAM
shorthand (`AWS::Serverless::Function` with `Events`, `DeadLetterQueue`,
`EventInvokeConfig`) is expanded first. Positions point into the template. What the
template does not fix (a parameter, a condition) is unknown, and no rule fires on a
guess. `archlint import TEMPLATE -o SPEC` writes the imported graph as a spec.
"""


def _api() -> str:
    return """
## Python API

```python
from archlint.specs import load_spec, load_text, is_spec_text, SpecError, Problem

graph = load_spec("orders.yaml")          # networkx.MultiDiGraph, as described above
graph = load_text(text, "orders.yaml")    # the same from a str or bytes
graph.nodes["billing-queue"]["dead_letter"], graph.nodes["billing-queue"]["positions"]

try:
    load_spec("broken.yaml")
except SpecError as error:
    for problem in error.problems:        # every problem of the file, sorted
        print(problem.file, problem.line, problem.column, problem.message)
```

| name | what it is |
|---|---|
| `load_spec(path, rule_known=None)` | load a spec file; raises `SpecError`. `rule_known(selector) -> bool` checks that `ignore:` keys name rules; without it only their shape is checked |
| `load_text(text, file="<spec>", rule_known=None)` | the same from a `str` or `bytes`; `file` is the name problems carry |
| `is_spec_text(data)` | whether bytes read from a file look like a spec (a line starts with `archlint:`) |
| `SpecError` | the exception: `.problems`, a sorted list of `Problem` |
| `Problem` | `file`, `line`, `column` (1-based), `message`; `str()` is `file:line:column: message`, `as_dict()` the JSON form |

Templates: `archlint.specs.cfn.load_template(path, rule_known=None)` returns the same
graph for a CloudFormation or SAM template. Custom rules receive the graph; see
[custom rules](custom-rules.md).
"""


def _errors() -> str:
    return """
## Every error says where

Every problem the loader finds names the file, line and column, says what is wrong in
words a user understands, and is reported together with the other problems of the
same file (not only the first). An error that only follows from an earlier one (the
attributes of a resource whose type is unknown, a flow touching it) is not reported.
Invalid input never produces a traceback.
"""


def _departures() -> str:
    return """
## Where this format differs from its first edition

The first published description of format 1 said a few things the loader does
differently, on purpose; this page describes the loader:

- `ec2.instance` with a `subnet`: the graph's `az` is the subnet's AZ (the first edition
  left it unset), so AZ rules see instances placed by subnet. Giving both is an error.
- `sqs.queue` `max_receive_count`: the default 5 applies only with a `dead_letter`;
  without one the value is None in the graph (the first edition listed 5 as every
  queue's default),
  and writing it without a `dead_letter` is an error.
- `directconnect.connection` `bandwidth` is one of the dedicated-connection port speeds
  AWS offers (`1Gbps`, `10Gbps`, `100Gbps`, `400Gbps`, see
  [Direct Connect pricing](https://aws.amazon.com/directconnect/pricing/)); the first
  edition named only the default.
- `autoscaling.group` `min`, `max` and `desired` are whole numbers 0–100000; the first
  edition gave no range.
- Flow edges carry `prefix`, `suffix` and `entry`, and `graph.graph` carries
  `positions` (and `cfn` for a template), beyond the first edition's graph.
"""
