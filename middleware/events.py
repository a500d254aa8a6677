"""The normalized ticket event every connector produces and every later stage reads.

A `TicketEvent` is what Attune knows about one helpdesk delivery, in the same words for
Zendesk, Jira Service Management and Freshdesk. Connectors translate their vendor's payload
into it; enrichment, policies, SLA clocks and write-back only ever see this shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from marshmallow import EXCLUDE, Schema, fields, post_load, validate

EVENT_TYPES = (
    "ticket_created",
    "comment_added",
    "ticket_updated",
    "status_changed",
    "priority_changed",
    "tags_changed",
    "sla_changed",
)
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
AUTHOR_ROLES = ("requester", "agent", "unknown")


@dataclass
class Comment:
    body: str
    author_role: str = "unknown"
    public: bool = True
    author_id: str | None = None


@dataclass
class Requester:
    id: str | None = None
    email: str | None = None
    name: str | None = None
    organization: str | None = None


@dataclass
class TicketEvent:
    source: str
    delivery_id: str
    event_type: str
    ticket_id: str
    subject: str = ""
    description: str = ""
    comment: Comment | None = None
    actor_id: str | None = None
    requester: Requester = field(default_factory=Requester)
    priority: str | None = None
    status: str | None = None
    tags: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    first_response_due: datetime | None = None
    resolution_due: datetime | None = None
    changed_fields: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return TicketEventSchema().dump(self)

    @classmethod
    def from_dict(cls, data: dict) -> TicketEvent:
        return TicketEventSchema().load(data)

    def enrichment_input(self) -> dict:
        """The ticket as the enrichment engine reads it."""
        comments = [asdict(self.comment)] if self.comment else []
        return {
            "id": f"{self.source}:{self.ticket_id}",
            "subject": self.subject,
            "description": self.description,
            "comments": comments,
            "requester": asdict(self.requester),
        }


class CommentSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    body = fields.String(required=True)
    author_role = fields.String(load_default="unknown", validate=validate.OneOf(AUTHOR_ROLES))
    public = fields.Boolean(load_default=True)
    author_id = fields.String(allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: object) -> Comment:
        return Comment(**data)


class RequesterSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(allow_none=True, load_default=None)
    email = fields.String(allow_none=True, load_default=None)
    name = fields.String(allow_none=True, load_default=None)
    organization = fields.String(allow_none=True, load_default=None)

    @post_load
    def make(self, data: dict, **_: object) -> Requester:
        return Requester(**data)


class TicketEventSchema(Schema):
    """Validates and (de)serializes a `TicketEvent`; connectors load their output through it."""

    class Meta:
        unknown = EXCLUDE

    source = fields.String(required=True)
    delivery_id = fields.String(required=True, validate=validate.Length(min=1))
    event_type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    ticket_id = fields.String(required=True, validate=validate.Length(min=1))
    subject = fields.String(load_default="")
    description = fields.String(load_default="")
    comment = fields.Nested(CommentSchema, allow_none=True, load_default=None)
    actor_id = fields.String(allow_none=True, load_default=None)
    requester = fields.Nested(RequesterSchema, load_default=lambda: {})
    priority = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(PRIORITIES))
    status = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(STATUSES))
    tags = fields.List(fields.String(), load_default=list)
    created_at = fields.AwareDateTime(allow_none=True, load_default=None)
    updated_at = fields.AwareDateTime(allow_none=True, load_default=None)
    first_response_due = fields.AwareDateTime(allow_none=True, load_default=None)
    resolution_due = fields.AwareDateTime(allow_none=True, load_default=None)
    changed_fields = fields.List(fields.String(), load_default=list)

    @post_load
    def make(self, data: dict, **_: object) -> TicketEvent:
        if isinstance(data.get("requester"), dict):
            data["requester"] = Requester(**data["requester"])
        return TicketEvent(**data)
