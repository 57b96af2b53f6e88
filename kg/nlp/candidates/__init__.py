"""Candidate mentions: every span a rule proposes, with the rule's id and whether it is the rule's own choice.

Generators over-propose on purpose (several left boundaries for one suffix, several lengths for one name
after a title): the trained entity scorer (`kg.mentions`) picks among them, and rules-only mode takes each
rule's `preferred` candidate. Offsets are characters of the normalised item text.
"""

from __future__ import annotations

from kg.nlp.candidates.base import Candidate, Context, generate

__all__ = ["Candidate", "Context", "generate"]
