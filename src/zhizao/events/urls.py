from django.urls import path

from .views import exhibitor, organiser, participant, public

app_name = "events"

urlpatterns = [
    # public
    path("public/", public.public_list, name="public_list"),
    path("public/<int:pk>/", public.public_event, name="public_event"),
    path("public/<int:pk>/speakers/", public.public_speakers, name="public_speakers"),
    path("public/<int:pk>/halls/", public.public_halls, name="public_halls"),
    path("public/<int:pk>/exhibitors/", public.public_exhibitors, name="public_exhibitors"),
    path("public/booths/<int:pk>/", public.public_booth, name="public_booth"),
    path("public/sessions/<int:pk>/", public.public_session, name="public_session"),
    # participants
    path("", participant.event_list, name="event_list"),
    path("new/", organiser.event_new, name="event_new"),
    path("<int:pk>/", participant.event_detail, name="event_detail"),
    path("<int:pk>/register/", participant.register, name="register"),
    path("<int:pk>/agenda/", participant.agenda, name="agenda"),
    path("<int:pk>/agenda.ics", participant.agenda_ics, name="agenda_ics"),
    path("<int:pk>/badge.pdf", participant.badge, name="badge"),
    path("<int:pk>/meetings/", participant.meetings, name="meetings"),
    path("<int:pk>/meetings/request/", participant.meeting_request, name="meeting_request"),
    path("<int:pk>/availability/", participant.availability, name="availability"),
    path("<int:pk>/procurement/", participant.procurement, name="procurement"),
    path("meetings/<int:pk>/", participant.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/respond/", participant.meeting_respond, name="meeting_respond"),
    path("meetings/<int:pk>/outcome/", participant.meeting_outcome, name="meeting_outcome"),
    path("meetings/<int:pk>/meeting.ics", participant.meeting_ics, name="meeting_ics"),
    path("needs/<int:pk>/", participant.need_detail, name="need_detail"),
    path("needs/<int:pk>/meeting/", participant.need_meeting, name="need_meeting"),
    path("booths/<int:pk>/visit/", participant.booth_visit, name="booth_visit"),
    path("sessions/<int:pk>/join/", participant.session_join, name="session_join"),
    # exhibitors
    path("booths/<int:pk>/edit/", exhibitor.booth_edit, name="booth_edit"),
    path("booths/<int:pk>/leads/", exhibitor.leads, name="leads"),
    path("booths/<int:pk>/analytics/", exhibitor.booth_analytics, name="booth_analytics"),
    path(
        "booths/<int:pk>/export/<slug:key>.<slug:fmt>",
        exhibitor.booth_export,
        name="booth_export",
    ),
    # organisers
    path("<int:pk>/organize/", organiser.organize, name="organize"),
    path("<int:pk>/edit/", organiser.event_edit, name="event_edit"),
    path("<int:pk>/timetable/", organiser.timetable, name="timetable"),
    path("<int:pk>/registrations/", organiser.registrations, name="registrations"),
    path("<int:pk>/checkin/", organiser.checkin, name="checkin"),
    path("sessions/<int:pk>/checkin/", organiser.session_checkin, name="session_checkin"),
    path("<int:pk>/schedule/", organiser.schedule, name="schedule"),
    path("<int:pk>/analytics/", organiser.analytics, name="analytics"),
    path(
        "<int:pk>/analytics/<slug:key>.<slug:fmt>",
        organiser.analytics_export,
        name="analytics_export",
    ),
]
