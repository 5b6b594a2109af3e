"""CloudWatch alarms (issue 10), sent to an SNS topic (subscribe an address with the AlarmEmail parameter).

- the API's 5xx rate, per minute, over 5 minutes;
- errors and throttles of every function;
- the email consumer's stream iterator age (records waiting longer than 5 minutes);
- the failure queue's depth (batches the consumer gave up on);
- the app's own EmailFailed metric (telemetry.EMAIL_FAILED: failed emails wait for a resend).
"""

from __future__ import annotations

from chalicelib import telemetry
from infra.cfn import Json, get_att, ref, sub

TOPIC = "AlarmTopic"
FUNCTIONS = ("APIHandler", "SendBookingEmails", "ExpireUnverifiedHolds", "RollAvailability", "SendSessionReminders")
STAGE = "api"


def _alarm(description: str, namespace: str, metric: str, statistic: str, threshold: float, **extra: Json) -> Json:
    properties: Json = {
        "AlarmDescription": description,
        "Namespace": namespace,
        "MetricName": metric,
        "Statistic": statistic,
        "Period": 60,
        "EvaluationPeriods": 5,
        "DatapointsToAlarm": 3,
        "Threshold": threshold,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [ref(TOPIC)],
        "OKActions": [ref(TOPIC)],
    }
    properties.update(extra)
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": properties}


def _function(name: str) -> list[Json]:
    return [{"Name": "FunctionName", "Value": ref(name)}]


def parameters() -> Json:
    return {
        "AlarmEmail": {
            "Type": "String",
            "Default": "",
            "Description": "Address that receives alarm notifications (empty: subscribe to AlarmTopic yourself).",
        }
    }


def conditions() -> Json:
    return {"HasAlarmEmail": {"Fn::Not": [{"Fn::Equals": [ref("AlarmEmail"), ""]}]}}


def resources(functions: set[str]) -> Json:
    found: Json = {
        TOPIC: {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": "alias/aws/sns"}},
        "AlarmEmailSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {"TopicArn": ref(TOPIC), "Protocol": "email", "Endpoint": ref("AlarmEmail")},
        },
        "Api5xxAlarm": _alarm(
            "More than 1% of API requests answered 5xx",
            "AWS/ApiGateway",
            "5XXError",
            "Average",
            0.01,
            Dimensions=[{"Name": "ApiName", "Value": sub("${AWS::StackName}")}, {"Name": "Stage", "Value": STAGE}],
        ),
    }
    for name in sorted(set(FUNCTIONS) & functions):
        found[f"{name}ErrorsAlarm"] = _alarm(
            f"{name} raised errors", "AWS/Lambda", "Errors", "Sum", 0, Dimensions=_function(name)
        )
        found[f"{name}ThrottlesAlarm"] = _alarm(
            f"{name} was throttled", "AWS/Lambda", "Throttles", "Sum", 0, Dimensions=_function(name)
        )
    if "SendBookingEmails" in functions:
        found["EmailStreamAgeAlarm"] = _alarm(
            "Booking emails wait more than 5 minutes in the table's stream",
            "AWS/Lambda",
            "IteratorAge",
            "Maximum",
            300_000,
            Dimensions=_function("SendBookingEmails"),
        )
        found["EmailFailureQueueAlarm"] = _alarm(
            "The email consumer gave up on a batch (see EmailFailureQueue)",
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "Maximum",
            0,
            Dimensions=[{"Name": "QueueName", "Value": get_att("EmailFailureQueue", "QueueName")}],
        )
        found["EmailFailedAlarm"] = _alarm(
            "Emails failed; list them with GET /admin/emails/failed and resend with POST /admin/emails/resend",
            telemetry.NAMESPACE,
            telemetry.EMAIL_FAILED,
            "Sum",
            0,
            Dimensions=[{"Name": "service", "Value": telemetry.SERVICE}],
        )
    return found
