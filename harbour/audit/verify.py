"""Verifying the audit hash chain."""

from dataclasses import dataclass

from .models import GENESIS_HASH, AuditEvent


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""


def audit_verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Walk the chain in insertion order; report the first row whose link or content is wrong."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, event.id, "its link to the previous row is broken (a row was removed or altered)"
            )
        if event.compute_hash() != event.row_hash:
            return VerifyResult(False, checked, event.id, "its content does not match its hash (the row was altered)")
        expected_prev = event.row_hash
        checked += 1
    return VerifyResult(True, checked)
