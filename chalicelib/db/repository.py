"""DynamoDB access: one object over the table, made of one class per aggregate (issue 11). Each
translates ClientError into domain errors; no business rules here."""

from __future__ import annotations

from chalicelib.db.availability import AvailabilityTable
from chalicelib.db.emails import EmailTable
from chalicelib.db.experts import ExpertTable
from chalicelib.db.holds import HoldTable
from chalicelib.db.listings import ListingTable
from chalicelib.db.moves import MoveTable
from chalicelib.db.reminders import ReminderTable
from chalicelib.db.seeding import SeedTable
from chalicelib.db.status import StatusTable
from chalicelib.db.waitlist import WaitlistTable


class DynamoRepository(
    ExpertTable,
    SeedTable,
    StatusTable,
    HoldTable,
    ListingTable,
    EmailTable,
    MoveTable,
    AvailabilityTable,
    ReminderTable,
    WaitlistTable,
):
    """What deps.repository() returns: every store Protocol of the services, over one table."""
