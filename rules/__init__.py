"""The built-in rules: one module per family, each listing its rule classes in `RULES`.

Adding a family is adding a module here; nothing else needs to know about it.
"""

from __future__ import annotations

import importlib
import pkgutil


def builtin_rule_classes() -> list[type]:
    """Every built-in rule class, from each family module's `RULES` list."""
    classes = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        classes.extend(getattr(module, "RULES", ()))
    return classes
