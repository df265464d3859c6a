"""Messages the dashboard's thread workers post back to the app."""

from __future__ import annotations

from textual.message import Message

from coachctl.engine.insights.dashboard import Dashboard


class DashboardLoaded(Message):
    """Fresh dashboard data arrived."""

    def __init__(self, data: Dashboard) -> None:
        super().__init__()
        self.data = data


class ActionFailed(Message):
    """A change the coach asked for was refused."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class BookingCancelled(Message):
    """A booking was cancelled from the dashboard; ``money`` says what happened to its payment."""

    def __init__(self, booking_id: int, money: str = "") -> None:
        super().__init__()
        self.booking_id = booking_id
        self.money = money
