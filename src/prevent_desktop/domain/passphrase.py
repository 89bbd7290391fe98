"""How strong a passphrase is, in words a site manager understands.

A rough estimate of guessing entropy from length and the kinds of characters used, with
penalties for repeats, sequences and the commonest choices. It only steers people towards long
passphrases; Argon2id does the real protection.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

MINIMUM_LENGTH = 10
_COMMON = {
    "password",
    "passw0rd",
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "qwertyuiop",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "monkey",
    "dragon",
    "football",
    "prevent",
    "safeguarding",
    "apprentice",
    "training",
    "changeme",
}
_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    bits: float
    problems: tuple[str, ...]

    @property
    def label(self) -> str:
        return _LABELS[self.score]

    @property
    def acceptable(self) -> bool:
        return not self.problems


def assess(passphrase: str) -> Strength:
    problems: list[str] = []
    if len(passphrase) < MINIMUM_LENGTH:
        problems.append(f"Use at least {MINIMUM_LENGTH} characters (a few words work well).")
    lowered = passphrase.lower()
    if lowered.strip() in _COMMON or any(
        lowered.startswith(word) and len(lowered) - len(word) <= 3 for word in _COMMON
    ):
        problems.append("That is one of the first passphrases an attacker would try.")
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    distinct = len(set(passphrase))
    effective_length = min(len(passphrase), distinct * 2)
    runs = sum(1 for a, b in itertools.pairwise(passphrase) if ord(b) - ord(a) in (-1, 0, 1))
    effective_length = max(0, effective_length - runs // 2)
    bits = effective_length * math.log2(pool) if pool else 0.0
    if problems:
        bits = min(bits, 28.0)
    score = 0 if bits < 28 else 1 if bits < 40 else 2 if bits < 60 else 3 if bits < 80 else 4
    if score < 2 and not problems:
        problems.append("Make it longer or less predictable.")
    return Strength(score, bits, tuple(problems))
