"""Every spec type has a real icon; ours are valid PNGs shipped with the package."""

from __future__ import annotations

import os

import pytest

from archlint.render.icon_map import (EXTERNAL_ICONS, OPAQUE_ICON, OUR_ICON_DIR, _name_of, icon_for,
                                      icon_path)
from archlint.render.svg_embed import png_size
from archlint.specs.types import TYPES


@pytest.mark.parametrize("spec_type", sorted(TYPES))
def test_every_spec_type_has_its_own_icon_file(spec_type):
    data = {"type": spec_type, "kind": "users"}
    name = icon_for(data)
    assert name != _name_of(OPAQUE_ICON), f"{spec_type} falls back to the generic icon"
    width, height = png_size(open(icon_path(name), "rb").read())
    assert width >= 64 and height >= 64


def test_external_kinds_and_public_subnets_have_their_icons():
    names = {icon_for({"type": "external", "kind": kind}) for kind in EXTERNAL_ICONS}
    assert len(names) == len(EXTERNAL_ICONS)
    assert icon_for({"type": "subnet", "public": True}) != icon_for({"type": "subnet", "public": False})


def test_an_unknown_type_gets_the_generic_aws_icon():
    assert icon_for({"type": "AWS::DynamoDB::Table"}) == "aws/general/general.png"


@pytest.mark.parametrize("name", sorted(name for name in os.listdir(OUR_ICON_DIR) if name.endswith(".png")))
def test_our_icons_are_square_pngs_with_their_svg_source(name):
    assert png_size(open(os.path.join(OUR_ICON_DIR, name), "rb").read()) == (256, 256)
    assert os.path.exists(os.path.join(OUR_ICON_DIR, "src", name[:-4] + ".svg"))


@pytest.mark.parametrize("cfn_type, expected", [
    ("AWS::EC2::NatGateway", "aws/network/nat-gateway.png"),  # by type
    ("AWS::IAM::Role", "aws/security/identity-and-access-management-iam-role.png"),  # by service
    ("AWS::Bedrock::Agent", "aws/general/general.png"),  # neither: the generic icon
    ("Custom::PlacementGroup", "aws/general/general.png"),
])
def test_imported_cloudformation_resources_are_drawn_by_their_type(cfn_type, expected):
    name = icon_for({"type": "cfn.resource", "cfn_type": cfn_type})
    assert name == expected
    assert os.path.isfile(icon_path(name))
