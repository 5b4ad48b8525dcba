"""Availability rules (EBS, HA): volumes pinned to one AZ, instances that cannot come back.

An EBS volume lives in one Availability Zone and attaches only to instances there; an
Elastic IP keeps a public address stable only if something brings an instance back
behind it. AZs come from the graph: an instance's `az` (filled from its subnet), an
Auto Scaling group's subnets' `az`, a volume's `az`. Unknown AZs never fire a rule.
"""

from __future__ import annotations

from ..linter.rule import Rule, known, nodes_of_type, prose_list
from ..specs.query import query
from ._network import azs_of

EBS_DOCS_LINK = (
    "[AWS: Attach an Amazon EBS volume to an instance]"
    "(https://docs.aws.amazon.com/ebs/latest/userguide/ebs-attaching-volume.html)"
)


class VolumeInOtherZone(Rule):
    id = "EBS001"
    severity = "error"
    summary = "An EBS volume is listed by an instance in another Availability Zone"
    docs = f"""
## What it does
Finds an `ebs.volume` listed in the `volumes` of an `ec2.instance` whose Availability
Zone differs from the volume's `az`. One finding per volume and instance.

## Why is this bad?
An EBS volume is created in one Availability Zone and can be attached only to
instances in that same AZ ("The volume and instance must be in the same Availability
Zone"). The attachment fails and the instance starts without its data. See
{EBS_DOCS_LINK}.

## Fix
Create the volume in the instance's AZ (set its `az`, restoring from a snapshot to
move existing data), or place the instance in a subnet of the volume's AZ.
"""
    bad_example = """\
archlint: 1
name: db
resources:
  main:
    type: vpc
  data-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.2.0/24
  db:
    type: ec2.instance
    subnet: data-b
    volumes: [db-data]
  db-data:
    type: ebs.volume
    az: us-east-1a
"""
    good_example = """\
archlint: 1
name: db
resources:
  main:
    type: vpc
  data-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.2.0/24
  db:
    type: ec2.instance
    subnet: data-b
    volumes: [db-data]
  db-data:
    type: ebs.volume
    az: us-east-1b
"""

    def check(self, graph):
        lookup = query(graph)
        for volume, data in nodes_of_type(graph, "ebs.volume"):
            volume_az = data.get("az")
            if not volume_az or not known(data, "az"):
                continue
            for instance in lookup.referrers(volume, "volumes", "ec2.instance"):
                instance_az = graph.nodes[instance].get("az")
                if not instance_az or instance_az == volume_az or not known(graph.nodes[instance], "az"):
                    continue
                yield self.finding(
                    graph,
                    volume,
                    message=(
                        f"EBS volume {volume} is in {volume_az} but instance {instance}, which lists it, "
                        f"is in {instance_az}: a volume attaches only to instances in its own AZ"
                    ),
                    fix=(
                        f"set `az: {instance_az}` on {volume} (restore a snapshot to move the data) "
                        f"or move {instance} to a subnet in {volume_az}"
                    ),
                    at="az",
                )


class VolumeCannotFollow(Rule):
    id = "EBS002"
    severity = "error"
    summary = "An EBS volume belongs to a group or a failover pair that spans Availability Zones"
    docs = f"""
## What it does
Finds an `ebs.volume` listed by an `autoscaling.group` whose subnets are in two or
more Availability Zones, or by an `ec2.instance` whose standby partner (`standby_for`,
in either direction) is in another AZ. One finding per volume.

## Why is this bad?
A volume attaches only in its own AZ. An Auto Scaling group that spans AZs launches
replacement instances in whichever AZ it balances to, and a standby in another AZ is
the instance that takes over after a failure: in both cases the instance that needs
the data starts where the volume cannot be attached. See {EBS_DOCS_LINK} and
[AWS: Amazon EC2 Auto Scaling lifecycle hooks](https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html).

## Fix
Snapshot the volume when an instance terminates (a `terminating` lifecycle hook) and
restore the snapshot in the AZ of the new instance, or keep shared data on a
multi-AZ file system (Amazon EFS) instead of a volume.
"""
    bad_example = """\
archlint: 1
name: app
resources:
  main:
    type: vpc
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  app-b:
    type: subnet
    vpc: main
    az: us-east-1b
    cidr: 10.0.2.0/24
  app:
    type: autoscaling.group
    subnets: [app-a, app-b]
    volumes: [app-data]
    lifecycle_hooks:
      - transition: terminating
  app-data:
    type: ebs.volume
    az: us-east-1a
"""
    good_example = """\
archlint: 1
name: app
resources:
  main:
    type: vpc
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  app:
    type: autoscaling.group
    subnets: [app-a]
    volumes: [app-data]
    lifecycle_hooks:
      - transition: terminating
  app-data:
    type: ebs.volume
    az: us-east-1a
"""

    def check(self, graph):
        lookup = query(graph)
        away: dict[str, tuple[str, str] | None] = {}  # instance -> its first standby partner in another AZ
        zones_of: dict[str, list[str]] = {}  # Auto Scaling group -> its AZs
        for volume, _ in nodes_of_type(graph, "ebs.volume"):
            reason = self._spanning_group(graph, lookup, volume, zones_of) or self._split_pair(graph, lookup, volume, away)
            if reason is None:
                continue
            message, fix = reason
            yield self.finding(graph, volume, message=message, fix=fix, at="az")

    @staticmethod
    def _spanning_group(graph, lookup, volume, zones_of: dict):
        for group in lookup.referrers(volume, "volumes", "autoscaling.group"):
            if group not in zones_of:  # a group listing many volumes: its subnets are read once
                zones_of[group] = azs_of(graph, group)
            zones = zones_of[group]
            if len(zones) >= 2:
                return (
                    f"EBS volume {volume} is listed by Auto Scaling group {group}, whose subnets span "
                    f"{prose_list(zones)}: an instance it launches in another AZ than the volume's cannot attach it",
                    f"keep {group} in subnets of one AZ, or snapshot {volume} in a terminating lifecycle hook "
                    "and restore it in the new instance's AZ (or use a multi-AZ file system such as EFS)",
                )
        return None

    @staticmethod
    def _split_pair(graph, lookup, volume, away: dict):
        for instance in lookup.referrers(volume, "volumes", "ec2.instance"):
            instance_az = graph.nodes[instance].get("az")
            if not instance_az or not known(graph.nodes[instance], "az"):
                continue
            if instance not in away:  # an instance listing many volumes: its partners are read once
                away[instance] = next(
                    ((partner, graph.nodes[partner]["az"]) for partner in _standby_partners(graph, lookup, instance)
                     if graph.nodes[partner].get("az") and graph.nodes[partner]["az"] != instance_az),
                    None,
                )
            if away[instance] is not None:
                partner, partner_az = away[instance]
                return (
                    f"EBS volume {volume} is listed by instance {instance} in {instance_az}, whose standby "
                    f"partner {partner} is in {partner_az}: after a failover {partner} cannot attach it",
                    f"move {partner} to a subnet in {instance_az}, or replicate the data (snapshot and "
                    f"restore in {partner_az}, or a multi-AZ file system such as EFS)",
                )
        return None


def _standby_partners(graph, lookup, instance):
    """The instance's `standby_for` and the instances whose `standby_for` names it."""
    named = graph.nodes[instance].get("standby_for")
    # a dict keeps the order and drops repeats in constant time (a list's `in` made a
    # primary with thousands of standbys quadratic)
    partners = dict.fromkeys([named] if named in graph else [])
    partners.update(dict.fromkeys(lookup.referrers(instance, "standby_for", "ec2.instance")))
    return list(partners)


class GroupVolumesWithoutSnapshotHook(Rule):
    id = "EBS003"
    severity = "warning"
    summary = "An Auto Scaling group has volumes and no terminating lifecycle hook to snapshot them"
    docs = """
## What it does
Finds an `autoscaling.group` with `volumes` and no lifecycle hook whose `transition`
is `terminating`.

## Why is this bad?
Auto Scaling terminates instances on scale-in, on failed health checks and when it
rebalances AZs. Without a terminating lifecycle hook nothing pauses the instance to
snapshot its volume first, and a replacement launched in another AZ has no way to get
the data (a volume attaches only in its own AZ; a snapshot can be restored in any).
See [AWS: Amazon EC2 Auto Scaling lifecycle hooks](https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html).

## Fix
Add `lifecycle_hooks: [{transition: terminating, target: <function or queue>}]`
whose target snapshots the volume before the instance goes away.
"""
    bad_example = """\
archlint: 1
name: app
resources:
  main:
    type: vpc
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  app:
    type: autoscaling.group
    subnets: [app-a]
    volumes: [app-data]
  app-data:
    type: ebs.volume
    az: us-east-1a
"""
    good_example = """\
archlint: 1
name: app
resources:
  main:
    type: vpc
  app-a:
    type: subnet
    vpc: main
    az: us-east-1a
    cidr: 10.0.1.0/24
  snapshotter:
    type: lambda.function
    on_failure: snapshot-failures
  snapshot-failures:
    type: sqs.queue
  app:
    type: autoscaling.group
    subnets: [app-a]
    volumes: [app-data]
    lifecycle_hooks:
      - {transition: terminating, target: snapshotter}
  app-data:
    type: ebs.volume
    az: us-east-1a
"""

    def check(self, graph):
        for group, data in nodes_of_type(graph, "autoscaling.group"):
            volumes = data.get("volumes") or []
            if not volumes or not known(data, "volumes", "lifecycle_hooks"):
                continue
            hooks = data.get("lifecycle_hooks") or []
            if any(isinstance(hook, dict) and hook.get("transition") == "terminating" for hook in hooks):
                continue
            yield self.finding(
                graph,
                group,
                message=(
                    f"Auto Scaling group {group} has volumes ({prose_list(volumes)}) and no terminating lifecycle "
                    "hook: an instance it terminates goes without a snapshot of its data"
                ),
                fix=f"add `lifecycle_hooks: [{{transition: terminating, target: <function>}}]` to {group} to snapshot the volumes",
                at="volumes",
            )


class ElasticIpWithoutRecovery(Rule):
    id = "HA001"
    severity = "warning"
    summary = "An instance behind an Elastic IP has no way to recover (no EC2 recover alarm, no standby)"
    docs = """
## What it does
Finds an `ec2.instance` that an `ec2.eip` points to and that has neither recovery
path:
- **EC2 recover**: a `cloudwatch.alarm` that `watches` the instance and has an
  `alarm_action` flow to the instance itself;
- **the standby pattern**: both an instance whose `standby_for` names it, and a
  `cloudwatch.alarm` watching it with an `alarm_action` to a function that has a
  `manage` flow to an `ec2.eip` pointing to it (the function starts the standby and
  moves the address).

## Why is this bad?
An Elastic IP gives clients one stable address, but only one instance answers
behind it. When that instance's host fails, the address points at nothing until
someone acts. A CloudWatch alarm on the status check can recover the instance onto
new hardware with the same IP addresses, or a function can re-associate the Elastic
IP with a standby. See
[AWS: Add recover actions to CloudWatch alarms](https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/UsingAlarmActions.html#AddingRecoverActions)
and [AWS: Elastic IP addresses](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html).

## Fix
Add a `cloudwatch.alarm` that `watches` the instance with a flow `alarm -> instance`
(EC2 recover), or a standby instance (`standby_for`) plus an alarm on the instance
that invokes a function managing the Elastic IP.
"""
    bad_example = """\
archlint: 1
name: web
resources:
  web:
    type: ec2.instance
    az: us-east-1a
  web-ip:
    type: ec2.eip
    instance: web
"""
    good_example = """\
archlint: 1
name: web
resources:
  web:
    type: ec2.instance
    az: us-east-1a
  web-ip:
    type: ec2.eip
    instance: web
  web-down:
    type: cloudwatch.alarm
    watches: web
flows:
  - web-down -> web
"""

    def check(self, graph):
        lookup = query(graph)
        for instance, data in nodes_of_type(graph, "ec2.instance"):
            addresses = lookup.referrers(instance, "instance", "ec2.eip")
            if not addresses:
                continue
            alarms = lookup.referrers(instance, "watches", "cloudwatch.alarm")
            if not known(data, "flows") or not all(known(graph.nodes[alarm], "flows") for alarm in alarms):
                continue  # an alarm action the template does not fix may recover it
            if any(instance in lookup.flow_targets(alarm, "alarm_action") for alarm in alarms):
                continue  # EC2 recover
            standbys = lookup.referrers(instance, "standby_for", "ec2.instance")
            failover = _failover_function(graph, lookup, alarms, set(addresses))
            if standbys and failover:
                continue  # the standby pattern
            yield self.finding(
                graph,
                instance,
                message=(
                    f"instance {instance} is behind Elastic IP {prose_list(addresses)} but cannot recover: "
                    f"no CloudWatch alarm watching it recovers it (alarm_action to {instance}), and "
                    + _standby_gap(instance, standbys, failover, addresses)
                ),
                fix=(
                    f"add a cloudwatch.alarm with `watches: {instance}` and a flow `<alarm> -> {instance}` "
                    "(EC2 recover)"
                ),
            )


def _failover_function(graph, lookup, alarms, addresses):
    """A function an alarm on the instance invokes that manages one of its Elastic IPs
    (the first in file order)."""
    for alarm in alarms:
        for function in sorted(lookup.flow_targets(alarm, "alarm_action"), key=lookup.position):
            if graph.nodes[function].get("type") != "lambda.function":
                continue
            if addresses.intersection(lookup.flow_targets(function, "manage")):
                return function
    return None


def _standby_gap(instance, standbys, failover, addresses) -> str:
    """Say which half of the standby pattern is missing."""
    if standbys:
        return (
            f"its standby {prose_list(standbys)} never takes over: no alarm watching {instance} invokes a "
            f"function that manages {prose_list(addresses)}"
        )
    if failover:
        return f"function {failover} can move the address but no instance has it as `standby_for`"
    return "it has no standby instance (`standby_for`) with a failover function"


RULES = [VolumeInOtherZone, VolumeCannotFollow, GroupVolumesWithoutSnapshotHook, ElasticIpWithoutRecovery]
