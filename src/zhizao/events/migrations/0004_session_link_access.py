"""Who gets a session's online link: everyone (as before, the default) or the event's approved
registrants and organisers only; per session, with an event-level default."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_unplaced_params"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="session_link_access",
            field=models.CharField(
                choices=[("public", "Public"), ("registered", "Registered participants only")],
                default="public",
                max_length=12,
                verbose_name="online links",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="link_access",
            field=models.CharField(
                blank=True,
                choices=[("public", "Public"), ("registered", "Registered participants only")],
                max_length=12,
                verbose_name="online link",
            ),
        ),
    ]
