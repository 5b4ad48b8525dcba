"""Inputs the coverage-guided fuzzer (scripts/fuzz.py) found, each a regression test."""

from __future__ import annotations

from archlint.linter.commands.import_template import spec_for
from archlint.linter.registry import all_rules, known_selector
from archlint.specs import load_text
from archlint.specs.cfn import load_template_text

# template target: a volume whose AvailabilityZone key is misspelled, attached to an
# instance that does not exist. `import` wrote a spec without the volume's az, which
# then did not load ("the volume needs an 'az': no instance lists it").
VOLUME_WITHOUT_ZONE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  EC0Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      InstanceType: t2.micro
  MountPoint:
    Type: AWS::EC2::VolumeAttachment
    Properties:
      InstanceId: !Ref EC2Instance
      VolumeId: !Ref Volume
      Device: /dev/sdh
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      Size: 2
      AVailabilityZone: us-east-1a
"""


def test_imported_volume_without_a_zone_gets_a_placeholder():
    graph = load_template_text(VOLUME_WITHOUT_ZONE, "t.yaml", rule_known=known_selector)
    text, differences = spec_for(graph, all_rules())
    assert not [d for d in differences if "does not load" in d], differences
    spec = load_text(text, "spec.yaml", rule_known=known_selector)
    assert spec.nodes["volume"]["az"].startswith("us-east-1")


# template target: values the importer carries over but a spec refuses (found: a memory
# of 114 MB, a backwards port range, S3 event names such as s6:ObjectCreated:Put,
# subnets outside their VPC). Such a spec is not written: exit 2, the problems said.
MEMORY_BELOW_LAMBDA_S_MINIMUM = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  QueueConsumerFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      MemorySize: 114
      Role: arn:aws:iam::123456789012:role/x
      Code: {ZipFile: "def handler(event, context): pass"}
"""


def test_import_does_not_write_a_spec_that_does_not_load(tmp_path):
    from .conftest import run

    template = tmp_path / "t.yaml"
    template.write_text(MEMORY_BELOW_LAMBDA_S_MINIMUM)
    result = run("import", template, "-o", tmp_path / "spec.yaml")
    assert result.returncode == 2, result.stderr
    assert "114 is out of range" in result.stderr and "was not written" in result.stderr
    assert not (tmp_path / "spec.yaml").exists()
