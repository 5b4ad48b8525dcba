"""Every kind of bad input gets a clear problem at its line and column, all together."""

import subprocess
import sys
import textwrap

import pytest

from archlint.specs import SpecError, load_text


def problems_of(text, file="bad.yaml"):
    data = text if isinstance(text, bytes) else textwrap.dedent(text).encode()
    with pytest.raises(SpecError) as caught:
        load_text(data, file)
    return caught.value.problems


def only_problem(text):
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


HEAD = "archlint: 1\nname: bad\nresources:\n"

# (case, spec body after HEAD, line, column, words the message must hold)
RESOURCE_CASES = [
    ("unknown type with suggestion", "  q:\n    type: sqs.queu\n", 5, 11, ['unknown type', '"sqs.queue"']),
    ("unknown attribute with suggestion", "  f:\n    type: lambda.function\n    timout: 10\n", 6, 5, ['timout', '"timeout"']),
    ("missing type", "  q:\n    fifo: true\n", 4, 3, ["has no 'type'"]),
    ("missing required attribute", "  pg:\n    type: placement_group\n", 4, 3, ["needs 'strategy'"]),
    ("out of range", "  f:\n    type: lambda.function\n    timeout: 901\n", 6, 14, ["901 is out of range", "1 to 900"]),
    ("wrong kind of value", "  q:\n    type: sqs.queue\n    fifo: maybe\n", 6, 11, ["expected true or false"]),
    ("bad choice with suggestion", "  e:\n    type: external\n    kind: user\n", 6, 11, ["users", '"users"']),
    ("bad id", "  Billing:\n    type: sqs.queue\n", 4, 3, ["resource id 'Billing'"]),
    ("reference to a missing id", "  q:\n    type: sqs.queue\n    dead_letter: dlqq\n  dlq:\n    type: sqs.queue\n", 6, 5, ["'dlqq'", '"dlq"']),
    ("reference to a wrong type", "  q:\n    type: sqs.queue\n    dead_letter: t\n  t:\n    type: sns.topic\n", 6, 5, ["t, a sns.topic", "takes sqs.queue"]),
    ("id listed twice", "  n:\n    type: vpc\n  s:\n    type: subnet\n    vpc: n\n    az: us-east-1a\n  g:\n    type: autoscaling.group\n    subnets: [s, s]\n", 12, 18, ["lists s twice"]),
    ("az of another region", "  n:\n    type: vpc\n  s:\n    type: subnet\n    vpc: n\n    az: eu-west-1a\n", 9, 5, ["eu-west-1a", "us-east-1"]),
    ("cidr with host bits names the network", "  n:\n    type: vpc\n    cidr: 10.0.0.1/16\n", 6, 11, ["host bits", "10.0.0.0/16"]),
    ("max_receive_count without dead_letter", "  q:\n    type: sqs.queue\n    max_receive_count: 3\n", 6, 5, ["only means something with a 'dead_letter'"]),
    ("events rule with neither schedule nor pattern", "  r:\n    type: events.rule\n", 4, 3, ["needs a 'schedule', a 'pattern'"]),
    ("bad schedule", "  r:\n    type: events.rule\n    schedule: rate(1 minutes)\n", 6, 15, ["rate(1 minute)"]),
    ("instance with subnet and az", "  n:\n    type: vpc\n  s:\n    type: subnet\n    vpc: n\n    az: us-east-1a\n  h:\n    type: ec2.instance\n    subnet: s\n    az: us-east-1a\n", 13, 5, ["both 'subnet' and 'az'"]),
    ("volume nobody lists needs az", "  v:\n    type: ebs.volume\n", 4, 3, ["needs an 'az'", "no instance lists it"]),
    ("group min above max", "  n:\n    type: vpc\n  s:\n    type: subnet\n    vpc: n\n    az: us-east-1a\n  g:\n    type: autoscaling.group\n    subnets: [s]\n    min: 3\n    max: 2\n", 14, 5, ["min ≤ desired ≤ max"]),
    ("alb in one az", "  n:\n    type: vpc\n  s:\n    type: subnet\n    vpc: n\n    az: us-east-1a\n  lb:\n    type: alb\n    subnets: [s]\n", 12, 5, ["at least two Availability Zones"]),
    ("ignore without a reason", "  q:\n    type: sqs.queue\n    ignore:\n      DLQ001: ''\n", 7, 15, ["needs a reason"]),
    ("ignore that is no rule id", "  q:\n    type: sqs.queue\n    ignore:\n      dead letters: fine\n", 7, 7, ["is not a rule id"]),
    ("tag value that is a list", "  b:\n    type: s3.bucket\n    tags: {team: [a, b]}\n", 6, 18, ["tag 'team'", "expected text"]),
]


@pytest.mark.parametrize("case,body,line,column,words", RESOURCE_CASES, ids=[case[0] for case in RESOURCE_CASES])
def test_resource_problems(case, body, line, column, words):
    problem = only_problem(HEAD + body)
    assert (problem.line, problem.column) == (line, column), str(problem)
    for word in words:
        assert word in problem.message, str(problem)


NETWORK = HEAD + """\
  net: {type: vpc, cidr: 10.0.0.0/16}
  other: {type: vpc, cidr: 10.1.0.0/16}
  a: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.0/24}
"""

NETWORK_CASES = [
    ("subnet outside its vpc", "  b: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.9.0.0/24}\n", ["not inside its VPC net"]),
    ("overlapping subnets", "  b: {type: subnet, vpc: net, az: us-east-1a, cidr: 10.0.1.128/25}\n", ["overlaps a (10.0.1.0/24)"]),
    ("ipv6 subnet", "  b: {type: subnet, vpc: net, az: us-east-1a, cidr: 'fd00::/64'}\n", ["needs an IPv4 CIDR"]),
    ("subnet in two acls", "  acl1: {type: network_acl, vpc: net, subnets: [a]}\n  acl2: {type: network_acl, vpc: net, subnets: [a]}\n", ["already in the network ACL acl1"]),
    ("acl subnet of another vpc", "  acl: {type: network_acl, vpc: other, subnets: [a]}\n", ["is in net, not in other"]),
    ("acl ports with icmp", "  acl:\n    type: network_acl\n    vpc: net\n    rules:\n      - {number: 100, direction: ingress, action: allow, protocol: icmp, ports: 8, cidr: 0.0.0.0/0}\n", ["ports belong to tcp and udp"]),
    ("sg rule without ports", "  sg:\n    type: security_group\n    rules:\n      - {protocol: tcp, cidr: 0.0.0.0/0}\n", ["needs 'ports'"]),
    ("sg rule with cidr and group", "  sg:\n    type: security_group\n    rules:\n      - {protocol: all, cidr: 0.0.0.0/0, group: sg}\n", ["both 'cidr' and 'group'"]),
    ("sg rule with neither", "  sg:\n    type: security_group\n    rules:\n      - {protocol: all}\n", ["exactly one of 'cidr'"]),
    ("backwards port range", "  sg:\n    type: security_group\n    rules:\n      - {protocol: tcp, ports: 443-80, cidr: 0.0.0.0/0}\n", ["runs backwards"]),
    ("unknown field of a rule", "  sg:\n    type: security_group\n    rules:\n      - {protocol: tcp, port: 443, cidr: 0.0.0.0/0}\n", ['"ports"']),
]


@pytest.mark.parametrize("case,body,words", NETWORK_CASES, ids=[case[0] for case in NETWORK_CASES])
def test_network_problems(case, body, words):
    problems = problems_of(NETWORK + body)
    assert any(all(word in p.message for word in words) for p in problems), [str(p) for p in problems]
    assert all(p.line > 6 for p in problems)  # each points into the added lines


FLOW_HEAD = HEAD + """\
  app: {type: external}
  q: {type: sqs.queue}
  fn: {type: lambda.function}
  bucket: {type: s3.bucket}
flows:
"""

FLOW_CASES = [
    ("pair not in the table lists the targets", "  - q -> bucket\n", 9, 5, ["cannot flow to a s3.bucket", "lambda.function"]),
    ("unknown id with suggestion", "  - app -> qq\n", 9, 5, ["'qq'", '"q"']),
    ("no arrow", "  - app\n", 9, 5, ["needs an arrow"]),
    ("empty end", "  - app -> \n", 9, 5, ["empty end"]),
    ("events on a flow not from a bucket", "  - {from: app, to: q, events: ['s3:ObjectCreated:*']}\n", 9, 24, ["events filter"]),
    ("async between non-functions", "  - {from: app, to: q, async: true}\n", 9, 24, ["async belongs"]),
    ("unknown flow key", "  - {from: app, to: q, lable: x}\n", 9, 24, ['"label"']),
    ("target listed twice", "  - {from: app, to: [q, q]}\n", 9, 25, ["lists q twice"]),
    ("flow mapping without to", "  - {from: app}\n", 9, 5, ["needs 'to'"]),
]


@pytest.mark.parametrize("case,body,line,column,words", FLOW_CASES, ids=[case[0] for case in FLOW_CASES])
def test_flow_problems(case, body, line, column, words):
    problem = only_problem(FLOW_HEAD + body)
    assert (problem.line, problem.column) == (line, column), str(problem)
    for word in words:
        assert word in problem.message, str(problem)


def test_all_problems_of_a_file_come_together_sorted():
    problems = problems_of(HEAD + (
        "  q:\n    type: sqs.queue\n    fifo: maybe\n"
        "  f:\n    type: lambda.function\n    timeout: 0\n"
        "  x:\n    type: nothing\n"
        "flows:\n  - q -> nowhere\n"
    ))
    assert len(problems) == 4
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_attributes_of_an_unknown_type_are_not_reported():
    problem = only_problem(HEAD + "  x:\n    type: lambda.funktion\n    timeout: 5000\n    whatever: 1\n")
    assert "unknown type" in problem.message


# -- the file itself ------------------------------------------------------------------

FILE_CASES = [
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00", 1, 1, "binary file"),
    ("not utf-8", b"archlint: 1\nname: caf\xe9\n", 2, 10, "not valid UTF-8"),
    ("empty", b"", 1, 1, "empty"),
    ("only comments", b"# nothing here\n\n", 1, 1, "empty"),
    ("syntax error", b"archlint: 1\nname: [x\n", 3, 1, "YAML syntax error"),
    ("two documents", b"archlint: 1\nname: a\n---\narchlint: 1\n", 3, 1, "one YAML document"),
    ("not a mapping", b"- archlint\n- 1\n", 1, 1, "a spec is a YAML mapping"),
    ("wrong format", b"archlint: 2\nname: a\nresources: {q: {type: sqs.queue}}\n", 1, 11, "reads spec format 1"),
    ("format as text", b"archlint: '1'\nname: a\nresources: {q: {type: sqs.queue}}\n", 1, 11, "reads spec format 1"),
    ("no resources", b"archlint: 1\nname: a\n", 1, 1, "missing 'resources'"),
    ("empty resources", b"archlint: 1\nname: a\nresources: {}\n", 3, 12, "needs at least one"),
    ("unknown top-level key", b"archlint: 1\nname: a\nregoin: us-east-1\nresources: {q: {type: sqs.queue}}\n", 3, 1, '"region"'),
    ("bad region", b"archlint: 1\nname: a\nregion: mars-1\nresources: {q: {type: sqs.queue}}\n", 3, 9, "not an AWS region"),
]


@pytest.mark.parametrize("case,data,line,column,words", FILE_CASES, ids=[case[0] for case in FILE_CASES])
def test_file_problems(case, data, line, column, words):
    problem = only_problem(data)
    assert (problem.line, problem.column) == (line, column), str(problem)
    assert words in problem.message, str(problem)


def test_duplicate_keys_are_errors_at_the_second_key():
    problem = only_problem(HEAD + "  q:\n    type: sqs.queue\n    fifo: true\n    fifo: false\n")
    assert (problem.line, problem.column) == (7, 5)
    assert "duplicate key 'fifo' (first given at line 6" in problem.message
    problem = only_problem(HEAD + "  q:\n    type: sqs.queue\n  q:\n    type: sns.topic\n")
    assert problem.line == 6 and "duplicate key 'q'" in problem.message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo hacked']", "!Ref Queue", "!!binary aGVsbG8=", "!!set {a: null}"])
def test_tags_never_construct_objects(tag, capfd):
    problem = only_problem(HEAD + f"  q:\n    type: sqs.queue\n    label: {tag}\n")
    assert "is not allowed in a spec" in problem.message
    assert (problem.line, problem.column) == (6, 12)
    assert "hacked" not in capfd.readouterr().out


def test_core_schema_tags_are_fine():
    graph = load_text(HEAD + "  q:\n    type: !!str sqs.queue\n    visibility_timeout: !!int '60'\n", "ok.yaml")
    assert graph.nodes["q"]["visibility_timeout"] == 60


def test_alias_bomb_is_refused_without_expanding_it():
    lines = ["archlint: 1", "name: bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]" for i in range(1, 9)]
    lines += ["resources: {q: {type: sqs.queue, label: *a8}}"]
    problem = problems_of("\n".join(lines) + "\n")[0]
    assert "aliases would expand this document" in problem.message
    expanded = int(problem.message.split(" to ")[1].split(" nodes")[0].replace(",", ""))
    assert expanded > 1_000_000_000  # counted, never built


def test_modest_alias_reuse_is_fine():
    graph = load_text(HEAD + "  a: &q {type: sqs.queue, visibility_timeout: 60}\n  b: *q\n", "ok.yaml")
    assert graph.nodes["b"]["visibility_timeout"] == 60


def test_deep_nesting_does_not_crash_the_process():
    """libyaml's C composer recurses: 100k nested brackets used to kill the process
    with a segmentation fault. Run it in a child so a crash would show as one."""
    script = (
        "from archlint.specs import load_text, SpecError\n"
        "text = 'archlint: 1\\nname: deep\\nlabel: ' + '[' * 100000 + ']' * 100000\n"
        "try:\n    load_text(text, 'deep.yaml')\nexcept SpecError as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "nested more than 1000 levels deep" in result.stdout
