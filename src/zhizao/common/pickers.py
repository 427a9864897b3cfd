"""Pickers for the two trees of reference data, chosen by narrowing and never from one select
of every node: regions (province → city → district, GB/T 2260) and industries (section →
division → group → class, GB/T 4754).

One widget draws one ``<select>`` per level: the roots, then the children of each chosen node,
so a page holds at most one level's siblings (a province's 13 cities, a city's districts).
With JavaScript, choosing a node fetches its children from ``tree_options`` (htmx) into the
next select. Without it, the "next level" button submits the form; the field then refuses the
value with a ``narrow`` error, so the view re-renders the form (nothing is saved) with the next
level shown. Every select of a picker is named after the field, so what is posted is the field's
name with codes as values (``region=320000&region=320200&region=320205``) and the deepest
consistent code is the value; an API, a script or an old link posting ``region=320205`` alone
gets the same. The multiple variant keeps the chosen nodes as checkboxes (unchecking one removes
it) and narrows in selects named ``<name>__pick``.

The field returns model instances (a ``ModelChoiceField``'s contract) and validates against the
current nodes, the levels it accepts and an optional ``within`` node (an officer's jurisdiction),
each refusal with a message that names the node."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SEPARATOR = " · "


@dataclass(frozen=True)
class Tree:
    key: str
    model_label: str
    levels: tuple[str, ...]
    level_labels: tuple[Promise, ...]
    placeholders: tuple[Promise, ...]
    url_name: str
    has_validity: bool
    #: the empty option of each level in a form, where one chooses ("Choose a province"); the
    #: ``placeholders`` ("All provinces") are for filters, where empty means everything
    choose_placeholders: tuple[Promise, ...] = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def current(self):
        qs = self.model.objects.all()
        if self.has_validity:
            qs = qs.filter(valid_to__isnull=True)
        return qs

    def children(self, parent_code: str | None) -> list:
        qs = self.current()
        qs = (
            qs.filter(parent__isnull=True) if parent_code is None else qs.filter(parent=parent_code)
        )
        return list(qs.order_by("code"))

    def nodes(self, codes) -> dict:
        codes = [c for c in codes if c]
        if not codes:
            return {}
        return {n.code: n for n in self.current().filter(code__in=codes)}

    def path(self, node) -> list:
        """The node's ancestors and the node, root first."""
        path = [node]
        while path[0].parent_id:
            parent = self.current().filter(code=path[0].parent_id).first()
            if parent is None:
                break
            path.insert(0, parent)
        return path

    def depth(self, node) -> int:
        return self.levels.index(node.level)

    def label(self, node) -> str:
        return SEPARATOR.join(n.name for n in self.path(node))

    def resolve(self, codes: list[str]) -> str:
        """The deepest code of ``codes`` (one per level, root first) that lies under the one
        before it; a stale lower choice left from another parent is dropped."""
        codes = [c.strip() for c in codes if c and c.strip()]
        if len(codes) <= 1:
            return codes[0] if codes else ""
        nodes = self.nodes(codes)
        chosen = codes[0]
        for code in codes[1:]:
            node = nodes.get(code)
            if node is None or node.parent_id != chosen:
                break
            chosen = code
        return chosen

    def is_within(self, node, within) -> bool:
        return within is None or any(n.code == within.code for n in self.path(node))


REGIONS = Tree(
    key="region",
    model_label="registry.Region",
    levels=("province", "city", "district"),
    level_labels=(
        gettext_lazy("Province"),
        gettext_lazy("City"),
        gettext_lazy("District / county"),
    ),
    placeholders=(
        gettext_lazy("All provinces"),
        gettext_lazy("All cities"),
        gettext_lazy("All districts"),
    ),
    url_name="region_options",
    has_validity=True,
    choose_placeholders=(
        gettext_lazy("Choose a province"),
        gettext_lazy("Choose a city"),
        gettext_lazy("Choose a district / county"),
    ),
)
INDUSTRIES = Tree(
    key="industry",
    model_label="registry.Industry",
    levels=("section", "division", "group", "class"),
    level_labels=(
        gettext_lazy("Industry section"),
        gettext_lazy("Industry division"),
        gettext_lazy("Industry group"),
        gettext_lazy("Industry class"),
    ),
    placeholders=(
        gettext_lazy("All industries"),
        gettext_lazy("All divisions"),
        gettext_lazy("All groups"),
        gettext_lazy("All classes"),
    ),
    url_name="industry_options",
    has_validity=False,
    choose_placeholders=(
        gettext_lazy("Choose an industry section"),
        gettext_lazy("Choose an industry division"),
        gettext_lazy("Choose an industry group"),
        gettext_lazy("Choose an industry class"),
    ),
)
TREES = {t.key: t for t in (REGIONS, INDUSTRIES)}


class Narrowed(str):
    """A posted code with the "next level" (or "add") button pressed: re-render, do not save."""

    narrow = True


def narrowing_levels(
    tree: Tree,
    *,
    names,
    ids,
    path: list,
    within=None,
    start: int = 0,
    labels=None,
    placeholders=None,
) -> list[dict]:
    """The selects of a narrowing picker, one per name: the nodes of level ``start`` (the
    roots), then the children of each chosen node; the levels below the chosen path are empty
    and hidden (JavaScript fills them). ``path`` holds the chosen nodes from level ``start``."""
    within_path = tree.path(within)[start:] if within is not None else []
    if within_path and not path:
        path = within_path
    levels = []
    parent = None
    for i, (name, select_id) in enumerate(zip(names, ids, strict=True)):
        if i == 0:
            if start:
                options = list(tree.current().filter(level=tree.levels[start]).order_by("code"))
            else:
                options = tree.children(None)
        else:
            options = tree.children(parent.code) if parent is not None else []
        if i < len(within_path):
            # above the jurisdiction only its own ancestors; below it, everything in it
            options = [n for n in options if n.code == within_path[i].code]
        selected = path[i].code if i < len(path) else ""
        levels.append(
            {
                "id": select_id,
                "name": name,
                "label": (labels or tree.level_labels[start:])[i],
                "placeholder": (placeholders or tree.placeholders[start:])[i],
                "options": [(n.code, n.name, n.code == selected) for n in options],
                "hidden": i > 0 and not options,
                "next_id": ids[i + 1] if i + 1 < len(ids) else "",
            }
        )
        parent = path[i] if i < len(path) else None
    return levels


def picker_levels(tree: Tree, *, name: str, auto_id: str, path: list, depth: int, within):
    """The selects of a form's picker: each level's empty option asks to choose."""
    return narrowing_levels(
        tree,
        names=[name] * depth,
        ids=[auto_id if i == 0 else f"{auto_id}_{i + 1}" for i in range(depth)],
        path=path,
        within=within,
        placeholders=tree.choose_placeholders,
    )


class TreePickerWidget(forms.Widget):
    template_name = "common/widgets/tree_picker.html"
    use_fieldset = True

    def __init__(self, tree: Tree, attrs=None):
        super().__init__(attrs)
        self.tree = tree
        self.depth = len(tree.levels)
        self.within = None

    def value_from_datadict(self, data, files, name):
        codes = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        code = self.tree.resolve([c for c in codes if isinstance(c, str)])
        if data.get(f"{name}__narrow"):
            return Narrowed(code)
        return code

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def _node(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, self.tree.model):
            return value
        return self.tree.nodes([str(value)]).get(str(value))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        node = self._node(value)
        path = self.tree.path(node) if node is not None else []
        auto_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["first_attrs"] = {k: v for k, v in context["widget"]["attrs"].items() if k != "id"}
        context["picker"] = {
            "levels": picker_levels(
                self.tree,
                name=name,
                auto_id=auto_id,
                path=path,
                depth=self.depth,
                within=self.within,
            ),
            "url": reverse(self.tree.url_name),
            "within": self.within.code if self.within is not None else "",
            "narrow_name": f"{name}__narrow",
        }
        return context

    def id_for_label(self, id_):
        return id_


class TreeMultiplePickerWidget(TreePickerWidget):
    template_name = "common/widgets/tree_multiple_picker.html"

    def value_omitted_from_data(self, data, files, name):
        return False  # unchecked boxes post nothing: an empty choice, not a missing one

    def value_from_datadict(self, data, files, name):
        codes = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
        picked = self.tree.resolve(
            data.getlist(f"{name}__pick") if hasattr(data, "getlist") else []
        )
        codes = [c.strip() for c in codes if isinstance(c, str) and c.strip()]
        if data.get(f"{name}__narrow"):
            # keep narrowing the picked node; it is not added yet
            return NarrowedList(codes, picked=picked, narrow_only=True)
        values = list(dict.fromkeys([*codes, picked] if picked else codes))
        if data.get(f"{name}__add"):
            return NarrowedList(values, picked=picked)
        return values

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        values = [v for v in (value or []) if v not in (None, "")]
        codes = [v.code if isinstance(v, self.tree.model) else str(v) for v in values]
        nodes = self.tree.nodes(codes)
        picked = getattr(value, "picked", "")
        if picked and getattr(value, "narrow_only", False):
            pick_node = self.tree.nodes([picked]).get(picked)
        else:
            pick_node = None
        auto_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["first_attrs"] = {
            k: v for k, v in context["widget"]["attrs"].items() if k not in {"id", "required"}
        }
        context["picker"] = {
            "chips": [
                (code, self.tree.label(nodes[code]), f"{auto_id}_chip_{i}")
                for i, code in enumerate(codes)
                if code in nodes
            ],
            "levels": picker_levels(
                self.tree,
                name=f"{name}__pick",
                auto_id=auto_id,
                path=self.tree.path(pick_node) if pick_node is not None else [],
                depth=self.depth,
                within=self.within,
            ),
            "name": name,
            "url": reverse(self.tree.url_name),
            "within": self.within.code if self.within is not None else "",
            "narrow_name": f"{name}__narrow",
            "add_name": f"{name}__add",
        }
        return context


class NarrowedList(list):
    narrow = True

    def __init__(self, values, *, picked: str = "", narrow_only: bool = False):
        super().__init__(values)
        self.picked = picked
        self.narrow_only = narrow_only


class TreeChoiceField(forms.Field):
    """One node of a tree, picked by narrowing; the value is the model instance."""

    widget_class = TreePickerWidget

    def __init__(self, *, tree: Tree, levels: tuple[str, ...] | None = None, **kwargs):
        self.tree = tree
        self.accepted_levels = levels or tree.levels
        kwargs.setdefault("widget", self.widget_class(tree))
        super().__init__(**kwargs)
        self.widget.depth = max(tree.levels.index(level) for level in self.accepted_levels) + 1
        self._within = None

    @property
    def within(self):
        return self._within

    @within.setter
    def within(self, node) -> None:
        """Only this node and what lies in it may be chosen (an officer's jurisdiction)."""
        self._within = node
        self.widget.within = node

    def prepare_value(self, value):
        if isinstance(value, self.tree.model):
            return value.code
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.tree.model):
            return value
        return self.node_for(str(value).strip())

    def node_for(self, code: str):
        node = self.tree.nodes([code]).get(code)
        if node is None:
            raise ValidationError(self.unknown_message(code), code="invalid_choice")
        return node

    def unknown_message(self, code: str) -> str:
        if self.tree.key == "region":
            return _("No current region has the code “%(code)s”.") % {"code": code[:20]}
        return _("No industry has the code “%(code)s”.") % {"code": code[:20]}

    def check_node(self, node) -> None:
        if node.level not in self.accepted_levels:
            level = self.tree.level_labels[self.tree.levels.index(self.accepted_levels[0])]
            raise ValidationError(
                _("Choose a %(level)s under %(name)s.")
                % {"level": str(level).lower(), "name": self.tree.label(node)},
                code="level",
            )
        if not self.tree.is_within(node, self.within):
            raise ValidationError(
                _("%(name)s lies outside %(within)s, the region you may choose in.")
                % {"name": self.tree.label(node), "within": self.tree.label(self.within)},
                code="outside",
            )

    def clean(self, value):
        narrow = getattr(value, "narrow", False)
        node = super().clean(value)
        if narrow:
            raise ValidationError(narrow_message(self.tree, node), code="narrow")
        if node is None and self.within is not None:
            return self.within  # "all regions" within a jurisdiction: the whole of it
        if node is not None:
            self.check_node(node)
        return node

    def has_changed(self, initial, data):
        initial = initial.code if isinstance(initial, self.tree.model) else (initial or "")
        return str(initial) != str(data or "")


def narrow_message(tree: Tree, node) -> str:
    if node is None:
        return _("Choose from the list, then save.")
    return _("%(name)s chosen: choose the next level below it, or save.") % {
        "name": tree.label(node)
    }


class TreeMultipleChoiceField(TreeChoiceField):
    """Several nodes, each added by narrowing; the value is a list of model instances."""

    widget_class = TreeMultiplePickerWidget

    def prepare_value(self, value):
        if value is None:
            return []
        if isinstance(value, NarrowedList):
            return value
        return [v.code if isinstance(v, self.tree.model) else v for v in value]

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        nodes = self.tree.nodes([v for v in value if isinstance(v, str)])
        out = []
        for item in value:
            if isinstance(item, self.tree.model):
                out.append(item)
                continue
            node = nodes.get(str(item).strip())
            if node is None:
                raise ValidationError(self.unknown_message(str(item)), code="invalid_choice")
            out.append(node)
        return out

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        narrow = getattr(value, "narrow", False)
        picked = getattr(value, "picked", "")
        nodes = self.to_python(value)
        self.validate(nodes)
        for node in nodes:
            self.check_node(node)
        if narrow:
            chosen = self.tree.nodes([picked]).get(picked) if picked else None
            if chosen is not None and not value.narrow_only:
                message = _("%(name)s added: add another or save.") % {
                    "name": self.tree.label(chosen)
                }
            else:
                message = narrow_message(self.tree, chosen)
            raise ValidationError(message, code="narrow")
        return nodes

    def has_changed(self, initial, data):
        initial = {v.code if isinstance(v, self.tree.model) else str(v) for v in initial or []}
        return initial != {str(v) for v in data or []}
