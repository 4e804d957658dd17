"""The desk's cookie route: the server sets and clears the session cookie, HttpOnly and SameSite=Lax.

A page cannot set an HttpOnly cookie (a script cannot write one, and the page's own connection is a
websocket, with no response to carry a Set-Cookie), so, as Streamlit's own `st.login` does with its routes,
an HTTP route of the desk's server sets it: after a sign-in the page posts the one-time code the sign-in
left (agent.review.team.session_tokens.HANDOFFS) and this route answers with the cookie; a sign-out, or a
cookie the server refused, posts an empty body and the cookie is cleared. Only the desk's own pages may post
(the Origin header, where sent, must be this server).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PATH = "/_desk/signin"


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


async def session_cookie(request: Request) -> Response:
    # Imported here, not with the server: the desk's modules load with the first page, after the server is up.
    from agent.review.desk import COOKIE, HANDOFFS

    if not _same_origin(request):
        return Response("cross-origin request refused", status_code=403)
    code = (await request.body()).decode("ascii", errors="replace").strip()
    response = Response(status_code=204)
    if not code:  # sign-out, or a cookie the server refused
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
        return response
    found = HANDOFFS.take(code)
    if found is None:
        return Response("unknown or used code", status_code=400)
    token, max_age = found
    response.set_cookie(COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


ROUTES = [Route(PATH, session_cookie, methods=["POST"])]
