"""An admin saves an SLA policy in the browser: a broken text is refused with the error in place
(and nothing is saved), the fixed text is saved and shown as the revision in force. The text
saved is the shipped policy plus a comment, so the shared demo server behaves as before."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import ADMIN, LiveServer, Watch, browser_login, screenshot
from tests.web.test_keyboard import UNLABELLED


def test_admin_saves_an_sla_policy_after_fixing_an_error(
    page: tuple[Any, Watch], demo_server: LiveServer
) -> None:
    p, _watch = page
    browser_login(p, ADMIN, demo_server.password)
    p.goto("/admin/policies/sla")
    assert p.evaluate(UNLABELLED) == []
    editor = p.get_by_label("SLA policy (YAML)")
    shipped = editor.input_value()
    broken = shipped.replace("warn_at_percent: 80", "warn_at_percent: [80")
    editor.fill(broken)
    p.get_by_role("button", name="Save").click()
    alert = p.locator("#policy-verdict")
    alert.wait_for()
    assert alert.get_attribute("role") == "alert"
    assert "Not saved" in alert.inner_text() and "line" in alert.inner_text()
    assert editor.get_attribute("aria-invalid") == "true"
    assert editor.input_value() == broken, "the text stays in the editor"
    assert p.locator("#policy-saved").count() == 0
    screenshot(p, "admin-policy-refused")

    editor.fill(shipped + "# checked in the browser\n")
    p.get_by_role("button", name="Save").click()
    p.wait_for_url(re.compile(r"/admin/policies/sla\?saved=\d+$"))
    saved = p.locator("#policy-saved")
    assert re.search(r"Saved revision \d+ by .+\. It is in force now\.", saved.inner_text())
    assert editor.input_value().endswith("# checked in the browser\n")
    assert p.locator(".policy-revisions tbody tr").count() >= 1
    screenshot(p, "admin-policy-saved")
