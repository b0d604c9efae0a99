"""A robot's address (its query is the group's credential) and its signing key reach the
change log only as fingerprints: the history shows that they changed, never what they are;
entries written before are rewritten by a data migration."""

import importlib
import json

from django.apps import apps

from xiaoneng.core.audit import fingerprint, history_for, log
from xiaoneng.core.policy import SYSTEM
from xiaoneng.notifications.models import Webhook

KEY = "0f1e2d3c-credential-of-the-group"
URL = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
SIGNING = "SECabcdef0123456789"


def logged_text(hook) -> str:
    return json.dumps([(e.before, e.after) for e in history_for(hook)], ensure_ascii=False)


def test_the_history_keeps_fingerprints_only(county_a):
    hook = Webhook.objects.create(
        unit=county_a, name="群", kind="wecom", url=URL, secret=SIGNING, actor=SYSTEM
    )
    hook.url = URL.replace(KEY, "another-credential-value")
    hook.secret = "SECzyx"
    hook.save(actor=SYSTEM)
    text = logged_text(hook)
    assert KEY not in text and "another-credential" not in text and "SEC" not in text
    update = history_for(hook).filter(action="update").get()
    assert update.before["url"] == fingerprint(URL) != update.after["url"]
    assert update.before["secret"] == fingerprint(SIGNING) != update.after["secret"]


def test_the_migration_rewrites_entries_written_in_clear(county_a):
    hook = Webhook.objects.create(unit=county_a, name="群", kind="wecom", url=URL, actor=SYSTEM)
    old = log(
        hook,
        "update",
        actor=SYSTEM,
        before={"url": URL, "name": "旧"},
        after={"url": URL, "secret": SIGNING},
    )
    migration = importlib.import_module(
        "xiaoneng.notifications.migrations.0005_fingerprint_robot_addresses_in_history"
    )
    migration.rewrite(apps, None)
    old.refresh_from_db()
    assert old.before == {"url": fingerprint(URL), "name": "旧"}
    assert old.after == {"url": fingerprint(URL), "secret": fingerprint(SIGNING)}
    assert KEY not in logged_text(hook)
