from oauth2_provider.oauth2_validators import OAuth2Validator


class GroupClaimsValidator(OAuth2Validator):
    """Claims as a city's identity provider sends them: username, email, names and the user's groups."""

    oidc_claim_scope = None  # every claim for every scope, like a typical Keycloak client mapper

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
