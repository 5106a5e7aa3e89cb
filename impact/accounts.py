"""Accounts and roles: the accounts file (TOML, Argon2id hashes), password checks, and the slow-down of
repeated failures. Pure Python, no Streamlit: the login form (impact/login.py) and the command line use it.

The file lives outside the data folder (default: comptes.toml in the state folder, or $IMPACT_COMPTES) and
holds, per identifier, a role and an Argon2id hash made by argon2-cffi — never a password.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from impact.state import state_dir

COORDINATION = "coordination"
LECTURE = "lecture"
ROLES = {
    COORDINATION: "coordination : tout, sans masquage, import et page Données",
    LECTURE: "lecture : vues masquées, sans import ni page Données",
}
IDENTIFIANT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MOT_DE_PASSE_MIN = 10

_HASHER = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile


@functools.cache
def _dummy_hash() -> str:
    """Checked when the identifier is unknown, so that an unknown identifier costs the same time as a wrong
    password and the answer time does not tell which of the two was wrong. Made on the first check (known
    identifier or not), not when the dashboard starts."""
    return _HASHER.hash("identifiant inconnu")


_LOADED: dict[Path, tuple[tuple, dict]] = {}


class AccountError(ValueError):
    """A French message for the user of the command line."""


@dataclass(frozen=True)
class Account:
    identifiant: str
    role: str
    hash: str
    cree_le: str


def path() -> Path:
    """The accounts file: $IMPACT_COMPTES, else comptes.toml in the state folder."""
    env = os.environ.get("IMPACT_COMPTES")
    return Path(env).expanduser().resolve() if env else state_dir() / "comptes.toml"


def load(file: Path | None = None) -> dict[str, Account]:
    """The accounts of the file ({} when it does not exist)."""
    file = file or path()
    try:
        stat = file.stat()
    except FileNotFoundError:
        return {}
    # Read on every page run (a removed account is out at once): parse again only when the file changed.
    key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    cached = _LOADED.get(file)
    if cached and cached[0] == key:
        return dict(cached[1])
    with file.open("rb") as f:
        data = tomllib.load(f)
    accounts = {}
    for ident, entry in data.get("comptes", {}).items():
        if isinstance(entry, dict) and entry.get("role") in ROLES and isinstance(entry.get("hash"), str):
            accounts[ident] = Account(ident, entry["role"], entry["hash"], str(entry.get("cree_le", "")))
    _LOADED[file] = (key, accounts)
    return dict(accounts)


def save(accounts: dict[str, Account], file: Path | None = None) -> None:
    """Write the file atomically, the previous version kept beside it (comptes.toml.precedent), readable by
    its owner only."""
    file = file or path()
    file.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "comptes": {
            a.identifiant: {"role": a.role, "hash": a.hash, "cree_le": a.cree_le}
            for a in sorted(accounts.values(), key=lambda a: a.identifiant)
        }
    }
    header = (
        "# Comptes du tableau de bord d'impact : géré par `python -m impact compte ...`.\n"
        "# Mots de passe hachés (Argon2id). Ne pas copier dans le dossier de données ni dans git.\n\n"
    )
    tmp = file.with_name(file.name + ".ecriture")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(header + tomli_w.dumps(data))
    if file.exists():
        shutil.copy2(file, file.with_name(file.name + ".precedent"))
    os.replace(tmp, file)


def check_identifiant(identifiant: str) -> str:
    if not IDENTIFIANT_RE.match(identifiant or ""):
        raise AccountError(
            f"identifiant invalide : « {identifiant} ». Lettres sans accent, chiffres, point, tiret, "
            "arobase ou soulignement, 64 caractères au plus (une adresse e-mail convient)."
        )
    return identifiant


def check_password(password: str) -> str:
    if len(password) < MOT_DE_PASSE_MIN:
        raise AccountError(f"mot de passe trop court : {MOT_DE_PASSE_MIN} caractères au moins.")
    return password


def add(identifiant: str, role: str, password: str, file: Path | None = None) -> bool:
    """Create the account, or replace the role and password of an existing one. True when it is new."""
    check_identifiant(identifiant)
    if role not in ROLES:
        raise AccountError(f"rôle inconnu : « {role} » (rôles : {', '.join(ROLES)}).")
    check_password(password)
    accounts = load(file)
    new = identifiant not in accounts
    cree_le = datetime.now().isoformat(timespec="seconds") if new else accounts[identifiant].cree_le
    accounts[identifiant] = Account(identifiant, role, _HASHER.hash(password), cree_le)
    save(accounts, file)
    return new


def remove(identifiant: str, file: Path | None = None) -> None:
    accounts = load(file)
    if identifiant not in accounts:
        raise AccountError(f"aucun compte « {identifiant} ».")
    del accounts[identifiant]
    save(accounts, file)


def verify(identifiant: str, password: str, file: Path | None = None) -> str | None:
    """The account's role when the password is right, None otherwise (unknown identifier included)."""
    account = load(file).get(identifiant)
    dummy = _dummy_hash()
    try:
        _HASHER.verify(account.hash if account else dummy, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return account.role if account else None


def role_of(identifiant: str, file: Path | None = None) -> str | None:
    """The current role of an account (None once it was removed): a role change applies at once."""
    account = load(file).get(identifiant)
    return account.role if account else None


class Throttle:
    """Repeated login failures slow down: after FREE failures on one key (an identifier, a client), the
    next attempt on that key waits 2, 4, 8 ... seconds, up to MAX_DELAY. A success clears the key."""

    FREE = 3
    MAX_DELAY = 300.0

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, time of the last failure)

    def wait(self, *keys: str) -> float:
        """Seconds left before an attempt on these keys is accepted (0 when it is now)."""
        now = self._clock()
        with self._lock:
            left = 0.0
            for key in keys:
                count, last = self._failures.get(key, (0, now))
                if count >= self.FREE:
                    delay = min(2.0 ** (count - self.FREE + 1), self.MAX_DELAY)
                    left = max(left, last + delay - now)
            return max(left, 0.0)

    def failure(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > 10_000:  # random identifiers must not fill the memory
                self._failures = {k: v for k, v in self._failures.items() if now - v[1] < self.MAX_DELAY}
            for key in keys:
                count, _ = self._failures.get(key, (0, now))
                self._failures[key] = (count + 1, now)

    def success(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
