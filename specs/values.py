"""Checking one scalar value against the kind of attribute it is given to.

Each parser returns the value to keep, or raises `BadValue` with a sentence that
says what was expected. Where the loader has the source text of a scalar (`raw`), text
attributes keep it exactly as written (`version: 3.10` stays "3.10", not 3.1).
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import re


class BadValue(Exception):
    pass


def describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


SIMILARITY = 0.6  # difflib's ratio a suggestion needs


def suggestion(word: str, candidates) -> str:
    """' (did you mean "x"?)' for the nearest candidate, or ''."""
    matches = difflib.get_close_matches(str(word), sorted(candidates), n=1, cutoff=SIMILARITY)
    return f' (did you mean "{matches[0]}"?)' if matches else ""


class Suggester:
    """Suggestions among many candidates (a spec's resource ids), bounded in cost.

    Each suggestion compares the word with every candidate: 2,000 misspelled ids among
    4,000 took 80 s of CPU (measured). So the candidates are indexed by length once
    (a ratio of 0.6 needs the shorter of two words to be at least 3/7 of the longer),
    and at most `budget` suggestions are computed per file: past them a message just
    has none, and a file with that many wrong ids has a bigger problem than typos."""

    def __init__(self, candidates, budget: int = 50):
        self.by_length: dict[int, list[str]] = {}
        for candidate in sorted(str(candidate) for candidate in candidates):
            self.by_length.setdefault(len(candidate), []).append(candidate)
        self.budget = budget

    def __call__(self, word) -> str:
        if self.budget <= 0:
            return ""
        self.budget -= 1
        word = str(word)
        low, high = math.ceil(len(word) * 3 / 7), math.floor(len(word) * 7 / 3)
        pool = [candidate for length in range(low, high + 1) for candidate in self.by_length.get(length, ())]
        matches = difflib.get_close_matches(word, pool, n=1, cutoff=SIMILARITY)
        return f' (did you mean "{matches[0]}"?)' if matches else ""


def as_text(value, raw=None) -> str:
    if isinstance(value, (list, dict)) or value is None:
        raise BadValue(f"expected text, got {describe(value)}")
    if raw is not None:
        return raw
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def as_bool(value, raw=None) -> bool:
    if not isinstance(value, bool):
        raise BadValue(f"expected true or false, got {describe(value)}")
    return value


def as_int(value, minimum, maximum, raw=None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue(f"expected a whole number from {minimum} to {maximum}, got {describe(value)}")
    if not minimum <= value <= maximum:
        raise BadValue(f"{value} is out of range; expected {minimum} to {maximum}")
    return value


def as_choice(value, choices, raw=None) -> str:
    text = as_text(value, raw) if not isinstance(value, (list, dict)) and value is not None else None
    if text not in choices:
        listed = ", ".join(choices)
        hint = suggestion(text, choices) if text is not None else ""
        raise BadValue(f"expected one of {listed}, got {describe(value)}{hint}")
    return text


def as_cidr(value, raw=None) -> str:
    if not isinstance(value, str):
        raise BadValue(f"expected a CIDR such as 10.0.0.0/16, got {describe(value)}")
    try:
        return str(ipaddress.ip_network(value, strict=True))
    except ValueError:
        pass
    try:
        meant = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise BadValue(f"'{value}' is not a CIDR; expected an IPv4 or IPv6 network such as 10.0.0.0/16") from None
    raise BadValue(f"'{value}' has host bits set; the network is {meant}")


def parse_ports(value, raw=None) -> tuple[int, int]:
    """A port (443) or range ("1024-65535") as (low, high)."""
    if isinstance(value, bool):
        raise BadValue(f'expected a port (443) or a range ("1024-65535"), got {describe(value)}')
    if isinstance(value, int):
        low = high = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*(-\s*\d+\s*)?", value):
        parts = [int(part) for part in value.split("-")]
        low, high = parts[0], parts[-1]
    else:
        raise BadValue(f'expected a port (443) or a range ("1024-65535"), got {describe(value)}')
    if not (0 <= low <= 65535 and 0 <= high <= 65535):
        raise BadValue(f"ports go from 0 to 65535, got {value}")
    if low > high:
        raise BadValue(f'the range {value} runs backwards; write "{high}-{low}"')
    return low, high


def as_ports(value, raw=None):
    """Ports keep the form they were written in (443 or "1024-65535"), once checked."""
    parse_ports(value)
    return value if isinstance(value, int) else value.replace(" ", "")


RATE = re.compile(r"rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)")
CRON = re.compile(r"cron\((\S+\s+){5}\S+\)")


def as_schedule(value, raw=None) -> str:
    text = as_text(value, raw).strip()
    rate = RATE.fullmatch(text)
    if rate:
        amount, unit = int(rate.group(1)), rate.group(2)
        if amount == 0:
            raise BadValue("a rate must be at least 1")
        singular = unit.rstrip("s")
        if amount == 1 and unit != singular:
            raise BadValue(f"write rate(1 {singular}): EventBridge wants the singular for 1")
        if amount > 1 and unit == singular:
            raise BadValue(f"write rate({amount} {singular}s): EventBridge wants the plural above 1")
        return text
    if CRON.fullmatch(text):
        return text
    raise BadValue(f"expected rate(N minutes|hours|days) or cron(six fields), got {describe(value)}")


S3_EVENT = re.compile(r"s3:[A-Za-z]+(:([A-Za-z]+|\*))?")


def as_s3_event(value, raw=None) -> str:
    text = as_text(value, raw)
    if not S3_EVENT.fullmatch(text):
        raise BadValue(f"expected an S3 event name such as s3:ObjectCreated:*, got {describe(value)}")
    return text
