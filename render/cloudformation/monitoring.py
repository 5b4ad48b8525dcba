"""CloudWatch alarms and their actions.

The metric's namespace and dimension follow from the watched resource's type; the
statistic, period and threshold from the metric (a table below, with thresholds
that mean "something is wrong": a failed status check, fewer instances in service
than the group's minimum, a message waiting over five minutes, any error).

Actions by target: a topic is published to; a function is invoked (with a
permission for `lambda.alarms.cloudwatch.amazonaws.com`, functions.py); an
instance the alarm watches is recovered (EC2's `recover` action, which AWS accepts
on the StatusCheckFailed_System metric, so that metric is used); an Auto Scaling
group is scaled out by one instance through a simple scaling policy.
"""

from __future__ import annotations

from .intrinsics import get_att, ref, sub
from .lookups import flows_out_in_spec_order, type_of
from .names import logical_id
from .template import Template

# watched type -> (namespace, dimension name, how the dimension's value is read)
DIMENSIONS = {
    "ec2.instance": ("AWS/EC2", "InstanceId", lambda own: ref(own)),
    "autoscaling.group": ("AWS/AutoScaling", "AutoScalingGroupName", lambda own: ref(own)),
    "sqs.queue": ("AWS/SQS", "QueueName", lambda own: get_att(own, "QueueName")),
    "lambda.function": ("AWS/Lambda", "FunctionName", lambda own: ref(own)),
    "alb": ("AWS/ApplicationELB", "LoadBalancer", lambda own: get_att(own, "LoadBalancerFullName")),
}

# metric -> (statistic, period s, evaluation periods, threshold, comparison, missing data)
METRICS = {
    "StatusCheckFailed": ("Maximum", 60, 2, 1, "GreaterThanOrEqualToThreshold", "missing"),
    "StatusCheckFailed_System": ("Maximum", 60, 2, 1, "GreaterThanOrEqualToThreshold", "missing"),
    "GroupInServiceInstances": ("Minimum", 60, 2, None, "LessThanThreshold", "breaching"),
    "ApproximateAgeOfOldestMessage": ("Maximum", 60, 5, 300, "GreaterThanOrEqualToThreshold", "notBreaching"),
    "Errors": ("Sum", 60, 1, 1, "GreaterThanOrEqualToThreshold", "notBreaching"),
    "HTTPCode_Target_5XX_Count": ("Sum", 60, 1, 1, "GreaterThanOrEqualToThreshold", "notBreaching"),
}
OTHER_METRIC = ("Average", 300, 1, 1, "GreaterThanOrEqualToThreshold", "missing")


def alarm(template: Template, alarm_id: str) -> None:
    graph = template.graph
    node = graph.nodes[alarm_id]
    watched = node["watches"]
    kind = type_of(graph, watched)
    namespace, dimension, value = DIMENSIONS[kind]
    metric = node.get("metric") or "StatusCheckFailed"

    actions = []
    for target, _ in flows_out_in_spec_order(graph, alarm_id, "alarm_action"):
        target_kind = type_of(graph, target)
        if target_kind in ("sns.topic",):
            actions.append(ref(logical_id(target)))
        elif target_kind == "lambda.function":
            actions.append(get_att(logical_id(target), "Arn"))
        elif target_kind == "ec2.instance" and target == watched:
            actions.append(sub("arn:${AWS::Partition}:automate:${AWS::Region}:ec2:recover"))
            if metric == "StatusCheckFailed":
                metric = "StatusCheckFailed_System"
        elif target_kind == "ec2.instance":
            template.notes.append(f"{alarm_id} -> {target}: not emitted; an EC2 alarm action acts on the instance the alarm watches ({watched})")
        elif target_kind == "autoscaling.group":
            policy = template.add(
                alarm_id,
                f"To{logical_id(target)}ScalingPolicy",
                "AWS::AutoScaling::ScalingPolicy",
                {
                    "AutoScalingGroupName": ref(logical_id(target)),
                    "PolicyType": "SimpleScaling",
                    "AdjustmentType": "ChangeInCapacity",
                    "ScalingAdjustment": 1,
                    "Cooldown": "300",
                },
                what=f"the scaling policy '{alarm_id}' triggers on '{target}'",
            )
            actions.append(ref(policy))  # a scaling policy's Ref is its ARN

    statistic, period, periods, threshold, comparison, missing = METRICS.get(metric, OTHER_METRIC)
    if threshold is None:  # in service below the group's minimum (at least one)
        threshold = max(1, graph.nodes[watched].get("min") or 0)
    properties: dict = {
        "AlarmDescription": node.get("description") or f"{metric} of {watched}",
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": [{"Name": dimension, "Value": value(logical_id(watched))}],
        "Statistic": statistic,
        "Period": period,
        "EvaluationPeriods": periods,
        "Threshold": threshold,
        "ComparisonOperator": comparison,
        "TreatMissingData": missing,
    }
    if actions:
        properties["AlarmActions"] = actions
    template.add(alarm_id, "", "AWS::CloudWatch::Alarm", properties)
