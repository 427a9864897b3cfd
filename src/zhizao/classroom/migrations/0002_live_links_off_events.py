"""A live class's online link is kept on the live class only: it is moved off its events
session (and the series event) where earlier versions copied it, since the events pages and
API show those to everyone and a learner holding the link could join unregistered."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    LiveClass = apps.get_model("classroom", "LiveClass")
    Session = apps.get_model("events", "Session")
    Event = apps.get_model("events", "Event")
    for live in LiveClass.objects.select_related("session").filter(online_link=""):
        if live.session.online_url:
            live.online_link = live.session.online_url
            live.save(update_fields=["online_link"])
    sessions = Session.objects.filter(live_class__isnull=False)
    event_ids = set(sessions.values_list("event_id", flat=True))
    sessions.update(online_url="")
    # The public pages are cached per version: a new version drops the cached links.
    Event.objects.filter(pk__in=event_ids).update(
        online_url="", public_version=F("public_version") + 1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("classroom", "0001_courses_and_learning"),
        ("events", "0003_unplaced_params"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
