"""The vocabulary of policies (政策), their items and versions, transformation projects
(智改数转项目), enterprise recognitions and credit records, evaluations, scans, name lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", pgettext_lazy("policy level", "City")
    DISTRICT = "district", pgettext_lazy("policy level", "District")


class ItemCategory(models.TextChoices):
    REDUCTION = "reduction", _("Reduction")  # 减免
    GRANT = "grant", _("Grant")  # 奖补
    ENTITLEMENT = "entitlement", _("Entitlement")  # 权益
    QUALIFICATION = "qualification", _("Qualification")  # 资质


class PolicyState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy state", "Draft")
    PUBLISHED = "published", pgettext_lazy("policy state", "Published")
    ARCHIVED = "archived", pgettext_lazy("policy state", "Archived")


class ItemState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy state", "Draft")
    PUBLISHED = "published", pgettext_lazy("policy state", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("policy state", "Withdrawn")


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy state", "Draft")
    PUBLISHED = "published", pgettext_lazy("policy state", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("policy state", "Superseded")


class ItemSubject(models.TextChoices):
    """What an item is evaluated for: once per enterprise, or once per project."""

    ENTERPRISE = "enterprise", _("Per enterprise")
    PROJECT = "project", _("Per project")


class ProjectKind(models.TextChoices):
    INTELLIGENT_TRANSFORMATION = "intelligent_transformation", _("Intelligent transformation")
    DIGITAL_TRANSFORMATION = "digital_transformation", _("Digital transformation")
    NETWORKING = "networking", _("Networking upgrade")
    EQUIPMENT_RENEWAL = "equipment_renewal", _("Equipment renewal")
    TECHNOLOGY_UPGRADE = "technology_upgrade", _("Technology upgrade")
    GREEN = "green", _("Green transformation")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("project status", "Under construction")
    COMPLETED = "completed", pgettext_lazy("project status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")


class RecognitionTitle(models.TextChoices):
    """Titles an enterprise holds. The VALUES are the canonical Chinese names: rule data and
    the JSON contract use them."""

    SPECIALIZED = "专精特新", _("Specialised and sophisticated SME")
    LITTLE_GIANT = "专精特新小巨人", _("Specialised and sophisticated little giant")
    SINGLE_CHAMPION_ENTERPRISE = "单项冠军企业", _("Single-item champion enterprise")
    SINGLE_CHAMPION_PRODUCT = "单项冠军产品", _("Single-item champion product")
    SMART_FACTORY = "智能制造示范工厂", _("Smart manufacturing demonstration factory")
    SMART_WORKSHOP = "智能制造示范车间", _("Smart manufacturing demonstration workshop")
    SMART_BENCHMARK = "智能制造标杆企业", _("Smart manufacturing benchmark enterprise")
    FACTORY_5G = "5G工厂", _("5G factory")
    LIGHTHOUSE = "灯塔工厂", _("Lighthouse factory")
    HIGH_TECH = "高新技术企业", _("High-tech enterprise")
    GREEN_FACTORY = "绿色工厂", _("Green factory")
    FIRST_SET = "首台套", _("First (set) of major equipment")
    TECH_ADVANCE = "智能制造十大科技进展", _("Ten technology advances in smart manufacturing")


class RecognitionLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", pgettext_lazy("policy level", "City")


class CreditKind(models.TextChoices):
    DISHONEST = "dishonest", _("Dishonest judgment debtor")  # 失信被执行人
    VIOLATION = "violation", _("Major tax violation or serious dishonesty")
    ABNORMAL = "abnormal", _("Abnormal business operation list")  # 经营异常名录
    PENALTY = "penalty", _("Administrative penalty")  # 行政处罚


class Eligibility(models.TextChoices):
    YES = "yes", _("Eligible")
    NO = "no", _("Not eligible")
    UNKNOWN = "unknown", _("Cannot tell yet")


class DecisionSource(models.TextChoices):
    CALCULATOR = "calculator", _("Calculator")
    SCAN = "scan", _("Scan")
    MANUAL = "manual", _("Manual")


class ScanState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("scan state", "Queued")
    RUNNING = "running", pgettext_lazy("scan state", "Running")
    DONE = "done", pgettext_lazy("scan state", "Done")
    FAILED = "failed", pgettext_lazy("scan state", "Failed")


class NameListState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy state", "Draft")
    ANNOUNCED = "announced", pgettext_lazy("name list state", "Announced")
    FINAL = "final", pgettext_lazy("name list state", "Final")


class EntryState(models.TextChoices):
    LISTED = "listed", pgettext_lazy("name list entry", "Listed")
    CONFIRMED = "confirmed", pgettext_lazy("name list entry", "Confirmed")
    DECLINED = "declined", pgettext_lazy("name list entry", "Declined")
    EXCLUDED = "excluded", pgettext_lazy("name list entry", "Excluded")
