"""Name the seeded public holidays (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节) from the
shipped data; 0002 seeded them without names. A name an operator has given is kept."""

import json
from importlib import resources

from django.db import migrations

from zhizao_core.review.workdays import holiday_names


def _names() -> dict:
    text = resources.files("zhizao_core.review").joinpath("data/workdays.json").read_text("utf-8")
    return holiday_names(json.loads(text))


def name_holidays(apps, schema_editor):
    CalendarDay = apps.get_model("calls", "CalendarDay")
    names = _names()
    for row in CalendarDay.objects.filter(kind="holiday", name="", date__in=list(names)):
        row.name = names[row.date]
        row.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("calls", "0004_call_no_credit_record")]

    operations = [migrations.RunPython(name_holidays, migrations.RunPython.noop)]
