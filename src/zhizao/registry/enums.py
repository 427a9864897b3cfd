from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationKind(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    PROVIDER = "provider", _("Solution provider")
    BANK = "bank", _("Financial institution")
    UNIVERSITY = "university", _("University / institute")
    SOCIETY = "society", _("Society / association")
    GOVERNMENT = "government", _("Government unit")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class ChainPosition(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    QUEUED = "queued", _("Waiting to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", pgettext_lazy("import state", "Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


IMPORT_ACTIVE_STATES = frozenset(
    {ImportState.UPLOADED, ImportState.VALIDATING, ImportState.QUEUED, ImportState.COMMITTING}
)
IMPORT_FINAL_STATES = frozenset({ImportState.COMMITTED, ImportState.FAILED, ImportState.CANCELLED})


class NameChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Replaced by a later request")
