"""Requests the portal refuses before any view sees them (issue 9: the portal under abuse).

* A multipart/form-data body anywhere but the one page whose form takes a file, the partner data upload
  (a POST to `partners:uploads`, UPLOAD_PAGES): 415, before Django parses a byte of it (the portal's other
  forms send application/x-www-form-urlencoded, as a browser does for a form without enctype). On the
  upload page the file is kept in memory, never on disk, up to VRU_MAX_PARTNER_UPLOAD_BYTES
  (`PartnerFileInMemory`); everywhere else `RefuseFileUploads`, the only upload handler, stays as a second
  guard (400 at the first file part, nothing kept).
* A body larger than VRU_MAX_REQUEST_BODY_BYTES (413), judged on Content-Length before a byte is read;
  Django's DATA_UPLOAD_MAX_MEMORY_SIZE, set to the same number, guards the body as it is read.
* A body with no Content-Length (chunked transfer encoding, a stream): Django would read it as empty,
  and a slow stream holds a worker (411).
* A NUL character anywhere a value could reach PostgreSQL, which cannot store one in text and answers
  with an error (a 500): the path, the query string, a form field, a cookie or a header (400).

A person can meet the 413 and the 415 (a file too large, a form sent by another tool): those are pages in
the site's layout saying what happened. The other refusals are plain and short: they go to clients that
sent something no page of the portal sends. Every refusal closes the connection, since its body is unread.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import SuspiciousMultipartForm, SuspiciousOperation
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse

from portal.core.context_processors import layout_context

logger = logging.getLogger("django.security.portal")

NUL = "\x00"
MULTIPART = "multipart/form-data"
# The bodies Django parses into request.POST: a browser's forms (multipart only on an upload page).
FORM_TYPES = ("application/x-www-form-urlencoded", MULTIPART, "")
# The URL names of the pages whose form takes a file (enctype="multipart/form-data"), for a POST.
UPLOAD_PAGES = ("partners:uploads",)


class TrustedProxyMiddleware:
    """Behind nginx every request comes from nginx's address. When it comes from one of
    VRU_TRUSTED_PROXY_ADDRESSES, take the client's address from X-Real-IP, which nginx overwrites (never
    from a client's own X-Forwarded-For): the feedback limit and the sign-in lockout count per person, not
    per proxy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.VRU_TRUSTED_PROXY_ADDRESSES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR") in self.trusted and request.META.get("HTTP_X_REAL_IP"):
            request.META["REMOTE_ADDR"] = request.META["HTTP_X_REAL_IP"].strip()
        return self.get_response(request)


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        partner_upload = request.method == "POST" and request.path in {reverse(name) for name in UPLOAD_PAGES}
        if partner_upload:
            request.upload_handlers = [PartnerFileInMemory(request)]
        limit = settings.VRU_MAX_PARTNER_UPLOAD_BYTES if partner_upload else settings.VRU_MAX_REQUEST_BODY_BYTES
        refusal = _body_refusal(request, limit, partner_upload)
        if refusal is None and not partner_upload and _content_type(request) == MULTIPART:
            refusal = _refusal_page(
                request,
                415,
                "This page does not take files",
                "The form was sent with a file, or in a form that only the partner data upload page takes. "
                "Nothing you sent has been kept.",
                "Go back and send the form again without attaching anything.",
            )
        if refusal is not None:
            logger.warning("Refused a request body: %s %s (%s)", request.method, request.path, refusal.reason_phrase)
            return refusal
        if _holds_nul(request):
            raise SuspiciousOperation("A NUL character in the request")
        return self.get_response(request)


def _body_refusal(request: HttpRequest, limit: int, upload: bool) -> HttpResponse | None:
    meta = request.META
    if "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
        return _plain(411, "Send the length of the request body (Content-Length).\n")
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _plain(400, "The Content-Length header is not a number.\n")
    if length > limit:
        what = f"The file must be smaller than {limit / 2**20:g} MB." if upload else "The form sent was too long."
        return _refusal_page(request, 413, "What you sent is too large", f"{what} Nothing you sent has been kept.")
    return None


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"
    return response


def _refusal_page(request: HttpRequest, status: int, heading: str, *paragraphs: str) -> HttpResponse:
    """A refusal a person may see, in the site's layout. Settings-only context: the session and the user
    are not loaded this early."""
    context = {**layout_context(request.path), "heading": heading, "paragraphs": paragraphs}
    response = HttpResponse(loader.get_template("request_refused.html").render(context), status=status)
    response["Connection"] = "close"
    return response


def _holds_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    if any(NUL in value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    values = request.GET.lists()
    if request.method == "POST" and _content_type(request) in FORM_TYPES:
        values = [*values, *request.POST.lists()]
    return any(NUL in key or any(NUL in value for value in items) for key, items in values)


def _content_type(request: HttpRequest) -> str:
    return request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()


class RefuseFileUploads(FileUploadHandler):
    """The one upload handler (FILE_UPLOAD_HANDLERS): a file part ends the request with a 400 before any
    of its bytes are kept, in memory or on disk."""

    def new_file(self, *args, **kwargs) -> None:
        raise SuspiciousMultipartForm("A file was sent; this website takes no files")

    def receive_data_chunk(self, raw_data, start):  # never reached: new_file refuses first
        return None

    def file_complete(self, file_size):
        return None


class PartnerFileInMemory(FileUploadHandler):
    """The partner data upload page's handler: the file is kept in memory (never on disk), and a file larger
    than VRU_MAX_PARTNER_UPLOAD_BYTES ends the request with a 400."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > settings.VRU_MAX_PARTNER_UPLOAD_BYTES:
            raise SuspiciousMultipartForm("The partner data file is too large")
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, self.charset
        )
