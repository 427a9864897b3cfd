"""Seed the working-day calendar with the shipped 2026 and 2027 data (zhizao_core.review);
operators edit it afterwards."""

import json
from importlib import resources

from django.db import migrations


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("calls", "CalendarDay")
    text = resources.files("zhizao_core.review").joinpath("data/workdays.json").read_text("utf-8")
    rows = []
    for entry in json.loads(text).values():
        for day in entry.get("holidays", []):
            rows.append(CalendarDay(date=day, kind="holiday", name=""))
        for day in entry.get("adjusted_workdays", []):
            rows.append(CalendarDay(date=day, kind="workday", name=""))
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("calls", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
