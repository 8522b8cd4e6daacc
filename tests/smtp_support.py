"""A real SMTP server on loopback (aiosmtpd) for the tests that send mail: it keeps what it
received and refuses the addresses it is told to, with 550, at RCPT as real servers do."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# what the server says to an address it refuses
REFUSAL = "550 5.1.1 <{address}>: mailbox unavailable"


class Inbox:
    """The server's handler: the messages accepted (sender, recipients, content) and the
    addresses to refuse."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return REFUSAL.format(address=address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 at a free port, stopped afterwards."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def configure_mail(port: int, sender: str = "pmo@city.example") -> None:
    """Point the test's config file (DOCKET_CONFIG) at the loopback server."""
    config = Path(os.environ["DOCKET_CONFIG"])
    config.write_text(
        config.read_text()
        + f'[mail]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        + f'sender = "{sender}"\n'
    )
