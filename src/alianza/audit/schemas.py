import datetime as dt

from ninja import Schema


class AuditEventOut(Schema):
    seq: int
    time: dt.datetime
    actor_username: str
    agency_code: str
    action: str
    object_type: str
    object_id: str
    marking_summary: str
    outcome: str
    request_id: str
    client_address: str
    entry_hash: str
