"""Bearer-token authentication for the API. Placeholder replaced in the API slice."""

from rest_framework.authentication import BaseAuthentication


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return None
