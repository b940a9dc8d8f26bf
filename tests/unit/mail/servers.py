"""Real mail servers on loopback for the tests: an aiosmtpd sink and a private dovecot."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

PASSWORD = "imap-test-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class SmtpSink:
    """Accepts every mail and keeps it; `reject` makes it answer 451 instead."""

    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    reject: bool = False
    controller: Controller | None = None

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        if self.reject:
            return "451 try again later"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()


CONF = """
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 100
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@dataclass
class Dovecot:
    root: Path
    conf: Path
    port: int
    user: str = "support"
    password: str = PASSWORD

    def stop(self) -> None:
        subprocess.run(["doveadm", "-c", str(self.conf), "stop"], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot(_unused: Path) -> Dovecot:
    if shutil.which("dovecot") is None or shutil.which("doveadm") is None:
        pytest.skip("dovecot is not installed (apt-get install -y dovecot-imapd)")
    if os.geteuid() != 0:
        pytest.skip("a private dovecot instance needs root to switch to its service users")
    # Not under pytest's tmp dir: dovecot's users must be able to reach the mail folder.
    root = Path(tempfile.mkdtemp(prefix="accord-dovecot-"))
    root.chmod(0o755)
    (root / "mail").mkdir()
    shutil.chown(root / "mail", "dovecot", "dovecot")
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(CONF.format(d=root, port=port, password=PASSWORD))
    # Output to a file, not a pipe: the daemon keeps its descriptors open after forking.
    with (root / "start.log").open("wb") as log:
        started = subprocess.run(["dovecot", "-c", str(conf)], stdout=log, stderr=log)
    if started.returncode != 0:
        reason = (root / "start.log").read_text(errors="replace").strip()[:300]
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"dovecot could not start here: {reason}")
    server = Dovecot(root, conf, port)
    _wait_for_port(port)
    return server


def _wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on {port}")
