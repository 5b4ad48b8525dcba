"""What a spec does not say, as template parameters with defaults that deploy.

- The machine image of instances and launch templates: a parameter of type
  `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` whose default is AWS's public
  SSM parameter for the latest Amazon Linux 2023 (x86_64 or arm64, by instance
  type) or Windows Server 2022 image, so the template resolves a current image in
  any region and the user can pass their own AMI's parameter instead.
- The code of a function: an inline handler (`ZipFile`) that logs the event and
  returns, for the runtimes that support inline code (Python and Node.js). Other
  runtimes get S3 bucket/key parameters without defaults: there is no code to guess.
"""

from __future__ import annotations

import re

from .intrinsics import ref
from .template import Template

AMI_PARAMETERS = {
    "LinuxAmi": ("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "Amazon Linux 2023 (x86_64)"),
    "LinuxArmAmi": ("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", "Amazon Linux 2023 (arm64, Graviton)"),
    "WindowsAmi": ("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", "Windows Server 2022"),
}

# Graviton families have a "g" right after the generation digit: t4g, m7g, c7gn, r8g, hpc7g.
_GRAVITON = re.compile(r"^[a-z]+[0-9]+g[a-z]*\.")


def image_id(template: Template, os_name: str, instance_type: str) -> dict:
    """A Ref to the image parameter fitting the OS and the instance type's CPU."""
    if os_name == "windows":
        name = "WindowsAmi"
    elif _GRAVITON.match(instance_type or ""):
        name = "LinuxArmAmi"
    else:
        name = "LinuxAmi"
    default, what = AMI_PARAMETERS[name]
    template.parameter(
        name,
        {
            "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            "Default": default,
            "Description": f"SSM parameter holding the image id ({what} by default)",
        },
    )
    return ref(name)


PYTHON_HANDLER = """import json


def handler(event, context):
    # Placeholder written by archlint: replace with the function's code.
    print(json.dumps(event))
    # batchItemFailures: the SQS messages to retry (none), for partial batch responses
    return {"statusCode": 200, "body": "ok", "batchItemFailures": []}
"""

NODE_HANDLER = """exports.handler = async (event) => {
  // Placeholder written by archlint: replace with the function's code.
  console.log(JSON.stringify(event));
  // batchItemFailures: the SQS messages to retry (none), for partial batch responses
  return { statusCode: 200, body: "ok", batchItemFailures: [] };
};
"""


def function_code(template: Template, function: str, runtime: str) -> tuple[dict, str | dict]:
    """(Code, Handler) for a function of this runtime."""
    if runtime.startswith("python"):
        return {"ZipFile": PYTHON_HANDLER}, "index.handler"
    if runtime.startswith("nodejs"):
        return {"ZipFile": NODE_HANDLER}, "index.handler"
    from .names import logical_id

    own = logical_id(function)
    bucket = template.parameter(f"{own}CodeBucket", {"Type": "String", "Description": f"S3 bucket holding the code of {function} ({runtime})"})
    key = template.parameter(f"{own}CodeKey", {"Type": "String", "Description": f"S3 key of the code archive of {function}"})
    handler = template.parameter(f"{own}Handler", {"Type": "String", "Description": f"handler of {function}, as {runtime} names it"})
    template.notes.append(f"{function}: {runtime} cannot take inline code; pass {bucket}, {key} and {handler} when deploying")
    return {"S3Bucket": ref(bucket), "S3Key": ref(key)}, ref(handler)
