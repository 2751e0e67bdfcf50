"""One way to answer with a share image, for the API, the dashboard and the public page."""

from __future__ import annotations

from flask import Response, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse

from testimonials.curation.models import Testimonial
from testimonials.widgets.share import services
from testimonials.widgets.share.render import ShareFormat

# Public copies revalidate on every use (a 304 costs one query), so a revoked consent or an
# edit shows at once, even behind a CDN; members' copies are never kept by shared caches.
PUBLIC_CACHE = "public, no-cache"
PRIVATE_CACHE = "private, no-cache"


def image_response(
    session: Session,
    testimonial: Testimonial,
    share_format: ShareFormat,
    *,
    public: bool,
    download: bool = False,
) -> WerkzeugResponse:
    """The PNG with its ETag and Cache-Control; 304 when the client's copy is current."""
    known = next(iter(request.if_none_match.as_set()), None) if request.if_none_match else None
    image = services.share_image(session, testimonial, share_format, known_version=known)
    session.commit()  # the drawn image is cached for the next request
    if image.png is None:
        response = Response(status=304)
    else:
        response = Response(image.png, mimetype="image/png")
    response.set_etag(image.version)
    response.headers["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    if download:
        name = f"testimonial-{testimonial.id}-{share_format.value}.png"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response.make_conditional(request) if image.png is not None else response
