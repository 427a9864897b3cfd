"""A lesson's video. Only viewers who may open the lesson (enrolled learners, the course's
editors) get it; anyone else gets 404 and no address.

When the store signs URLs (an S3-compatible bucket), the answer is a 302 to a presigned GET
valid ``ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS``: the browser fetches and seeks the bytes from the
store (which answers range requests itself) and no web worker carries them. A local folder is
served here with HTTP range requests so that seeking works: 206 with Content-Range for a range,
416 for one outside the file, 200 for the whole file, read through the storage API a chunk at a
time (never whole into memory). Nothing is transcoded here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.views.decorators.http import require_GET

from zhizao_core.learning.ranges import Unsatisfiable, parse_range

from .. import access
from ..storage import signed_url

CHUNK = 64 * 1024


def _chunks(handle, start: int, length: int):
    try:
        handle.seek(start)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


@login_required
@require_GET
def lesson_video(request, pk):
    lesson = access.access_lesson(request.membership, pk)
    if not lesson.video:
        raise Http404
    storage = lesson.video.storage
    name = lesson.video.name
    url = signed_url(storage, name, settings.ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS)
    if url is not None:
        response = HttpResponseRedirect(url)
        # The address is the viewer's own and expires: never cached, never sent on as Referer.
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    try:
        size = storage.size(name)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    try:
        wanted = parse_range(request.headers.get("Range"), size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted is not None else (0, size - 1)
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(
        _chunks(storage.open(name, "rb"), start, length),
        status=206 if wanted is not None else 200,
        content_type=lesson.video_type or "application/octet-stream",
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    if wanted is not None:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
