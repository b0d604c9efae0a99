import uuid

from xiaoneng.core.context import ActionContext, _current


class RequestContextMiddleware:
    """Gives every request an id and makes it the audit log's source of actor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        token = _current.set(ActionContext(request=request, request_id=request.id))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = str(request.id)
        return response
