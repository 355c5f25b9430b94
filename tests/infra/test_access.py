"""Least privilege: the handlers' one role grants named actions on this stage's resources, never `*`."""

from __future__ import annotations

from typing import Any

from tests.infra.template import Template, get_att

GUARDED = ("dynamodb:", "sqs:", "ses:", "sns:")


def statements(template: Template) -> list[dict[str, Any]]:
    """Every statement of every identity policy in the stack."""
    found = []
    for role in template.of_type("AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            found += _listed(policy["PolicyDocument"]["Statement"])
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for policy in template.of_type(kind).values():
            found += _listed(policy["Properties"]["PolicyDocument"]["Statement"])
    return found


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_every_function_runs_with_the_one_role_and_no_policy_of_its_own(template: Template) -> None:
    role_id, role = template.only("AWS::IAM::Role")
    for function in template.functions.values():
        assert function["Role"] == get_att(role_id, "Arn")
        assert "Policies" not in function
    assert "ManagedPolicyArns" not in role["Properties"]


def test_no_statement_on_dynamodb_sqs_ses_or_sns_allows_a_wildcard_action_or_resource(template: Template) -> None:
    guarded = [s for s in statements(template) if any(a.startswith(GUARDED) for a in _listed(s.get("Action", [])))]
    assert {a.split(":")[0] for s in guarded for a in _listed(s["Action"])} == {"dynamodb", "sqs", "ses", "sns"}
    for statement in guarded:
        assert statement["Effect"] == "Allow"
        assert "NotAction" not in statement
        assert not any("*" in action for action in _listed(statement["Action"])), statement
        assert "*" not in _listed(statement.get("Resource", [])), statement
        assert "Resource" in statement or "NotResource" in statement


def test_table_access_is_to_the_table_and_its_indexes_only(template: Template) -> None:
    table_id, table = template.only("AWS::DynamoDB::Table")
    arn = get_att(table_id, "Arn")
    allowed = [arn] + [
        {"Fn::Join": ["", [arn, f"/index/{i['IndexName']}"]]} for i in table["Properties"]["GlobalSecondaryIndexes"]
    ]
    allowed.append({"Fn::Join": ["", [arn, "/stream/*"]]})
    for statement in statements(template):
        if any(a.startswith("dynamodb:") for a in _listed(statement["Action"])):
            assert all(resource in allowed for resource in _listed(statement["Resource"])), statement


def test_the_handlers_may_not_scan_the_table(template: Template) -> None:
    """Design invariant 6: no Scan on any request path (the figures rebuild is an operator's script)."""
    granted = {a for s in statements(template) for a in _listed(s["Action"])}
    assert "dynamodb:Scan" not in granted


def test_sms_may_go_to_phone_numbers_but_not_to_topics(template: Template) -> None:
    (sms,) = [s for s in statements(template) if "sns:Publish" in _listed(s["Action"])]
    assert "Resource" not in sms
    assert sms["NotResource"] == {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sns:*:*:*"]]}
