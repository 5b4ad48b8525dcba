"""Expanding a SAM template into the CloudFormation it deploys, offline.

This is the SAM translator's own public API (`samtranslator.public`), the code that
`aws cloudformation deploy` runs as the `AWS::Serverless-2016-10-31` transform. Two
things make it work without AWS:

- Local artefact paths (`CodeUri: src/`, an `Api`'s `DefinitionUri: api.yaml`) are
  what `sam package` would upload; the translator only accepts S3 locations, so they
  become a placeholder S3 URI. What the resources *are* does not depend on where the
  code lives.
- AWS managed policy names are resolved from the map bundled with the translator;
  a name it does not know is kept as written, never looked up in IAM.

The region is passed in a boto3 session of our own, so neither the environment's
region nor its credentials are read.
"""

from __future__ import annotations

import copy
import logging

PLACEHOLDER_S3_URI = "s3://archlint-placeholder/artefact"
PLACEHOLDER_IMAGE_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/archlint-placeholder:latest"

# Properties that name an artefact `sam package` uploads, by resource type.
_ARTEFACT_PROPERTIES = {
    "AWS::Serverless::Function": ("CodeUri", "ImageUri"),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::Application": ("Location",),
}

# The Globals section sets properties for every resource of a type (SAM's Globals).
_GLOBALS_TYPES = {
    "Function": "AWS::Serverless::Function",
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion",
}


_EMPTY_DEFINITIONS = {
    "AWS::Serverless::Api": {"swagger": "2.0", "info": {"title": "included", "version": "1"}, "paths": {}},
    "AWS::Serverless::HttpApi": {"openapi": "3.0.1", "info": {"title": "included", "version": "1"}, "paths": {}},
}


class SamError(Exception):
    """The translator refused the template; str() lists its reasons."""


def expand(template: dict, region: str = "us-east-1") -> dict:
    """The CloudFormation template a SAM template deploys. Raises SamError."""
    # Imported here: the translator and boto3 take a moment, and only SAM needs them.
    import boto3
    from samtranslator.public.exceptions import InvalidDocumentException
    from samtranslator.public.parser import Parser
    from samtranslator.public.translator import Translator

    logging.getLogger("samtranslator").setLevel(logging.CRITICAL)
    template = copy.deepcopy(template)  # the translator rewrites what it is given
    _placeholder_artefacts(template)
    session = boto3.session.Session(region_name=region)
    translator = Translator(managed_policy_map=None, sam_parser=Parser(), boto_session=session)
    try:
        return translator.translate(
            sam_template=template,
            parameter_values={},
            passthrough_metadata=True,
            get_managed_policy_map=dict,  # never IAM: unknown names stay as written
        )
    except InvalidDocumentException as error:
        raise SamError("; ".join(cause.message for cause in error.causes)) from None
    except Exception as error:  # noqa: BLE001 - the translator's own bugs are not ours to crash on
        raise SamError(f"{type(error).__name__}: {error}") from None


def _placeholder_artefacts(template: dict) -> None:
    resources = template.get("Resources") if isinstance(template.get("Resources"), dict) else {}
    template_globals = template.get("Globals") if isinstance(template.get("Globals"), dict) else {}
    sections = [(resource.get("Type"), resource.get("Properties"))
                for resource in resources.values() if isinstance(resource, dict)]
    sections += [(_GLOBALS_TYPES.get(name), properties) for name, properties in template_globals.items()]
    for resource_type, properties in sections:
        if not isinstance(properties, dict):
            continue
        for name in _ARTEFACT_PROPERTIES.get(resource_type, ()):
            if name in properties and not _is_s3_location(properties[name]):
                properties[name] = PLACEHOLDER_IMAGE_URI if name == "ImageUri" else PLACEHOLDER_S3_URI
        if resource_type == "AWS::Serverless::Function" and isinstance(properties.get("AutoPublishCodeSha256"), dict):
            properties["AutoPublishCodeSha256"] = "placeholder"
        if resource_type in _EMPTY_DEFINITIONS and _is_include(properties.get("DefinitionBody")):
            # CloudFormation inlines the included file before SAM runs; its routes are
            # not ours to read, but SAM needs a definition it can add Auth to.
            properties["DefinitionBody"] = copy.deepcopy(_EMPTY_DEFINITIONS[resource_type])
    # `sam build` packages the template's folder for a function that names no code.
    function_globals = template_globals.get("Function")
    if not (isinstance(function_globals, dict) and _names_code(function_globals)):
        for resource in resources.values():
            if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
                continue
            properties = resource.setdefault("Properties", {})
            if isinstance(properties, dict) and not _names_code(properties):
                image = properties.get("PackageType") == "Image"
                properties["ImageUri" if image else "CodeUri"] = PLACEHOLDER_IMAGE_URI if image else PLACEHOLDER_S3_URI


def _names_code(properties: dict) -> bool:
    return any(key in properties for key in ("CodeUri", "ImageUri", "InlineCode"))


def _is_include(value) -> bool:
    return isinstance(value, dict) and list(value) == ["Fn::Transform"]


def _is_s3_location(value) -> bool:
    """A value the translator accepts as it is: an s3:// URI, a {Bucket, Key} mapping
    (SAM's form), or an ECR image URI."""
    if isinstance(value, str):
        return value.startswith("s3://") or ".dkr.ecr." in value
    return isinstance(value, dict) and "Bucket" in value and "Key" in value
