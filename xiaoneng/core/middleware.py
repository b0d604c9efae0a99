import uuid

from xiaoneng.core.context import ActionContext, _current


class RequestContextMiddleware:
    """Gives every request an id, which the change log records with each row it writes."""

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


class LanguageMiddleware:
    """Chinese first: the language is zh-hans unless the user picked another one.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language, so an
    office PC with an English browser still shows the platform in Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
