"""JUnit XML, for the test tabs of CI systems (GitLab's `artifacts:reports:junit`,
Jenkins, Azure DevOps).

One `<testsuite>` per spec file; in it one `<testcase>` per rule that ran on the file,
named by the rule id, which passes when the rule found nothing. A rule that found
something becomes one test case per finding, each with one `<failure>`: Jenkins keeps
only one failure per test case, so several findings in one case would hide all but
one. A spec that could not be read gets one test case per problem, each with an
`<error>` (the input was bad, no rule failed). With --show-ignored, silenced
findings are test cases with `<skipped>` giving the spec's reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from .common import display_path

if TYPE_CHECKING:
    from ..reports import Report


def junit_report(report: "Report") -> str:
    findings = defaultdict(list)
    for finding in report.findings:
        findings[(finding.file, finding.rule)].append(finding)
    ignored = defaultdict(list)
    if report.show_ignored:
        for item in report.suppressed:
            ignored[(item.finding.file, item.finding.rule)].append(item)
    problems = defaultdict(list)
    for problem in sorted(report.problems):
        problems[problem.file].append(problem)

    root = ET.Element("testsuites", name="archlint")
    for file in sorted(set(report.checked) | set(problems)):
        suite = ET.SubElement(root, "testsuite", name=display_path(file))
        for problem in problems.get(file, ()):
            case = _case(suite, file, f"spec {problem.line}:{problem.column}")
            error = ET.SubElement(case, "error", message=problem.message, type="spec-error")
            error.text = str(problem)
        for rule_id in sorted(report.checked.get(file, ())):
            cases = findings.get((file, rule_id), []) + ignored.get((file, rule_id), [])
            if not cases:
                _case(suite, file, rule_id)
            for finding in findings.get((file, rule_id), []):
                case = _case(suite, file, f"{rule_id} {finding.resource} {finding.line}:{finding.column}")
                failure = ET.SubElement(case, "failure", message=finding.message, type=f"{rule_id} {finding.severity}")
                failure.text = (f"{finding.file}:{finding.line}:{finding.column}: {rule_id} {finding.severity} "
                                f"{finding.resource}: {finding.message}\nfix: {finding.fix}")
            for item in ignored.get((file, rule_id), []):
                finding = item.finding
                case = _case(suite, file, f"{rule_id} {finding.resource} {finding.line}:{finding.column}")
                ET.SubElement(case, "skipped", message=f"ignored ({item.selector}): {item.reason}")
        _count(suite)
    _count(root)
    _make_xml_safe(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# characters XML 1.0 does not allow anywhere (https://www.w3.org/TR/xml/#charsets):
# ElementTree writes them as they are, and the document is then not well-formed
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}", text)


def _make_xml_safe(root: ET.Element) -> None:
    for element in root.iter():
        element.attrib.update({key: _xml_text(value) for key, value in element.attrib.items()})
        if element.text:
            element.text = _xml_text(element.text)


def _case(suite: ET.Element, file: str, name: str) -> ET.Element:
    # classname groups the cases by spec in the CI systems' tables
    return ET.SubElement(suite, "testcase", name=name, classname=display_path(file), file=display_path(file), time="0")


def _count(element: ET.Element) -> None:
    """The counts JUnit readers expect on <testsuite> and <testsuites>."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    element.set("errors", str(sum(1 for case in cases if case.find("error") is not None)))
    element.set("skipped", str(sum(1 for case in cases if case.find("skipped") is not None)))
    element.set("time", "0")
