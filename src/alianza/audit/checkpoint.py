"""Signed checkpoints: a (sequence, head hash, time) statement a partner agency can keep.

If the log later fails to extend a checkpoint, someone rewrote history that was witnessed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CHECKPOINT_VERSION = 1


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return key


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _statement(seq: int, head_hash: str, time: str) -> bytes:
    return json.dumps(
        {"version": CHECKPOINT_VERSION, "seq": seq, "head_hash": head_hash, "time": time},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def checkpoint_create(*, key: Ed25519PrivateKey, seq: int, head_hash: str) -> dict:
    time = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = key.sign(_statement(seq, head_hash, time))
    return {
        "version": CHECKPOINT_VERSION,
        "seq": seq,
        "head_hash": head_hash,
        "time": time,
        "public_key": public_key_pem(key),
        "signature": base64.b64encode(signature).decode(),
    }


def checkpoint_check_signature(checkpoint: dict, *, public_key_pem_text: str) -> None:
    """Raise ValueError unless `checkpoint` was signed by the given public key."""
    try:
        key = serialization.load_pem_public_key(public_key_pem_text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the public key is not an Ed25519 key")
        key.verify(
            base64.b64decode(checkpoint["signature"]),
            _statement(int(checkpoint["seq"]), checkpoint["head_hash"], checkpoint["time"]),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"the checkpoint is malformed: missing {exc}") from exc
    except InvalidSignature as exc:
        raise ValueError("the checkpoint's signature is not valid for this key") from exc
