"""Abuse limits of the public chat widget, per client address: how many visitor chats may be
started per hour and how many messages sent per minute (`ACCORD_WIDGET_*` settings). A refusal
is `429 rate_limited` with `Retry-After`.

The address is the client as uvicorn reports it: `X-Forwarded-For` is trusted from a proxy
on 127.0.0.1 (uvicorn's default; `FORWARDED_ALLOW_IPS` names others), otherwise every visitor
behind a proxy would share its limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from accord.auth.throttle import RequestLimit
from accord.settings import Settings


@dataclass(frozen=True)
class WidgetLimits:
    visitors: RequestLimit
    messages: RequestLimit

    @classmethod
    def from_settings(cls, settings: Settings) -> WidgetLimits:
        return cls(
            visitors=RequestLimit(
                settings.widget_visitors_per_hour, timedelta(hours=1), "chats started"
            ),
            messages=RequestLimit(
                settings.widget_messages_per_minute, timedelta(minutes=1), "messages"
            ),
        )


def widget_limits(request: Request) -> WidgetLimits:
    limits: WidgetLimits = request.app.state.widget_limits
    return limits


Limits = Annotated[WidgetLimits, Depends(widget_limits)]
