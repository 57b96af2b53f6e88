"""Options that hold for the whole run, whatever the command (`--debug`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class State:
    debug: bool = False


state = State()
