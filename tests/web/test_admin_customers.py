"""The admin pages of a customer's data rights: the list, the customer's page with its export
button and erase form, the download (recorded as a web export), and an erasure that happens
only once the id is typed again."""

from __future__ import annotations

import io
import json
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy import select

from accord.audit.models import Event
from accord.db.engine import Database
from accord.inbox.models import Conversation, CustomerErasure
from tests.web.conftest import web_login
from tests.world import World


def test_the_customer_page_exports_and_erases_after_confirmation(
    web: TestClient, world: World, db: Database
) -> None:
    csrf = web_login(web, world.emails["admin"])
    listing = web.get("/admin/customers")
    assert listing.status_code == 200
    assert f'href="/admin/customers/{world.customer_a}"' in listing.text
    page = web.get(f"/admin/customers/{world.customer_a}")
    assert page.status_code == 200
    assert "a@customer.example" in page.text and 'id="customer-conversations">1<' in page.text
    assert f'href="/admin/customers/{world.customer_a}/export"' in page.text
    assert 'name="confirm"' in page.text

    download = web.get(f"/admin/customers/{world.customer_a}/export")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        assert json.loads(zf.read("manifest.json"))["customer_id"] == world.customer_a

    url = f"/admin/customers/{world.customer_a}/erase"
    headers = {"X-CSRF-Token": csrf}
    wrong = web.post(url, data={"confirm": "yes"}, headers=headers, follow_redirects=False)
    assert wrong.status_code == 422 and "Nothing was erased" in wrong.text
    with db.read() as s:
        assert s.get(Conversation, world.conv_a) is not None

    done = web.post(
        url, data={"confirm": str(world.customer_a)}, headers=headers, follow_redirects=False
    )
    assert done.status_code == 303
    after = web.get(done.headers["location"])
    assert "Erased" in after.text and 'name="confirm"' not in after.text
    assert "a@customer.example" not in after.text
    with db.read() as s:
        assert s.get(Conversation, world.conv_a) is None
        tombstone = s.get(CustomerErasure, world.customer_a)
        assert tombstone is not None and tombstone.via == "web"
        vias = [
            e.data.get("via")
            for e in s.scalars(select(Event).where(Event.kind.like("customer.e%")))
        ]
    assert sorted(vias) == ["web", "web"]  # the export and the erasure
    again = web.post(
        url, data={"confirm": str(world.customer_a)}, headers=headers, follow_redirects=False
    )
    assert again.status_code == 409 and "erased already" in again.text


def test_staff_other_than_admins_get_no_customer_pages(web: TestClient, world: World) -> None:
    web_login(web, world.emails["supervisor"])
    for path in ("/admin/customers", f"/admin/customers/{world.customer_a}/export"):
        assert web.get(path).status_code == 403, path
