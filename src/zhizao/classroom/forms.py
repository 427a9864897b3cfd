"""Parsing of the classroom pages' input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhizao.common.validators import search_field
from zhizao.common.widgets import IsoDateTimeInput
from zhizao.matchmaking.vocabulary import category_choices

from .enums import CourseLevel


class SearchForm(forms.Form):
    q = search_field(_("Search courses"))


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Course title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    lecturers = forms.CharField(
        label=_("Lecturers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=CourseLevel.choices)
    subdomains = forms.MultipleChoiceField(
        label=_("Maturity sub-domains addressed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, subdomain_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdomains"].choices = list(subdomain_choices)
        self.fields["categories"].choices = category_choices()

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["lecturers"] = data.get("lecturers") or ""
        return data


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Lesson title"), max_length=200)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=0, max_value=600)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    video = forms.FileField(label=_("Video file (MP4, WebM, Ogg)"), required=False)
    video_link = forms.CharField(label=_("Or a link to an external video"), required=False)
    documents = forms.CharField(
        label=_("Documents (links, one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class QuizEditForm(forms.Form):
    pass_percent = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100)
    text = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One question per block, blocks separated by an empty line: the question on the "
            "first line, then one answer per line; mark the right answers with a leading *. "
            "Two or more right answers make a multiple-choice question."
        ),
    )

    def questions(self) -> list[dict]:
        out = []
        for block in self.cleaned_data["text"].replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            if not lines:
                continue
            options = [
                {"text": line.lstrip("*").strip(), "correct": line.startswith("*")}
                for line in lines[1:]
            ]
            right = sum(1 for o in options if o["correct"])
            out.append({"text": lines[0], "multiple": right > 1, "options": options})
        return out


def quiz_text(quiz) -> str:
    """A quiz as the editor's text (the reverse of ``QuizEditForm.questions``)."""
    if quiz is None:
        return ""
    blocks = []
    for q in quiz.questions.prefetch_related("options"):
        lines = [q.text] + [("*" if o.correct else "") + o.text for o in q.options.all()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), choices=[(n, "★" * n) for n in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)


class LiveClassForm(forms.Form):
    title = forms.CharField(label=_("Live class title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=IsoDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=IsoDateTimeInput())
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=500)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Leave empty for no limit."),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The class must end after it starts."))
        return data


class RecordingForm(forms.Form):
    recording_link = forms.URLField(label=_("Recording link"), required=False, max_length=500)
    lesson = forms.ModelChoiceField(
        label=_("Or a lesson of the course"), queryset=None, required=False
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = course.lessons.order_by("position", "id")
