"""Identity providers of one account: OpenID Connect and SAML (§H, §G.2)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from iamsim._store.account_data import StoreFamily, found
from iamsim._store.messages import quota
from iamsim._store.oidc_context import updated_provider
from iamsim._store.records import OidcProvider, SamlProvider
from iamsim._store.saml import check_saml_name, metadata_valid_until
from iamsim._store.validation import Tags, check_length, normalise_tags
from iamsim.errors import EntityAlreadyExistsError, InvalidInputError

__all__ = ["Providers"]

_SAML_PROVIDERS_PER_ACCOUNT = 100
_OIDC_URL_RE = re.compile(r"https://[^\s/?#]+(/[^\s?#]*)?")


class Providers(StoreFamily):
    """The OIDC and SAML providers of one account."""

    def create_open_id_connect_provider(
        self,
        url: str,
        client_ids: Iterable[str],
        thumbprints: Iterable[str] = (),
        *,
        tags: Tags | Mapping[str, str] | None = None,
        context_provider: Mapping[str, Any] | None = None,
        identity_center_instance_arn: str | None = None,
    ) -> OidcProvider:
        """CreateOpenIDConnectProvider: ``url`` must be ``https://host[/path]``.

        A trusted identity propagation configuration is checked as UpdateOpenIDConnectProvider checks it.
        """
        if not isinstance(url, str) or _OIDC_URL_RE.fullmatch(url) is None:
            raise InvalidInputError(f"Invalid URL: {url}")
        check_length(url, "url", 1, 255)
        ids = tuple(client_ids)
        for client_id in ids:
            check_length(client_id, "clientIDList.member", 1, 255)
        prints = tuple(thumbprints)
        for thumbprint in prints:
            check_length(thumbprint, "thumbprintList.member", 40, 40)
        tag_list = normalise_tags(tags)
        host = url.removeprefix("https://").rstrip("/")
        arn = self._data.arn("oidc-provider", "/", host)
        if arn in self._data.oidc:
            raise EntityAlreadyExistsError(f"Provider with url {url} already exists.")
        provider = OidcProvider(arn, host, ids, prints, self._data.now(), tag_list)
        if context_provider is not None:
            provider = updated_provider(
                provider, context=context_provider, instance_arn=None, remove_context=False, remove_instance=False
            )
        if identity_center_instance_arn is not None:
            provider = updated_provider(
                provider,
                context=None,
                instance_arn=identity_center_instance_arn,
                remove_context=False,
                remove_instance=False,
            )
        return self._data.put(self._data.oidc, arn, provider)

    def get_open_id_connect_provider(self, arn: str) -> OidcProvider:
        """GetOpenIDConnectProvider."""
        return found(self._data.oidc, arn, f"OpenIDConnect Provider not found for arn {arn}")

    def list_open_id_connect_providers(self) -> tuple[OidcProvider, ...]:
        """ListOpenIDConnectProviders."""
        return tuple(sorted(self._data.oidc.values(), key=lambda p: p.arn))

    def delete_open_id_connect_provider(self, arn: str) -> None:
        """DeleteOpenIDConnectProvider: idempotent, a provider the account does not hold is no error (§H.5)."""
        if self._data.oidc.pop(arn, None) is not None:
            self._data.bump()

    def tag_open_id_connect_provider(
        self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()
    ) -> None:
        """TagOpenIDConnectProvider / UntagOpenIDConnectProvider."""
        provider = self.get_open_id_connect_provider(arn)
        self._data.retag(self._data.oidc, arn, provider, tags, remove)

    def update_open_id_connect_provider(
        self,
        arn: str,
        *,
        add_client_id: str | None = None,
        remove_client_id: str | None = None,
        thumbprints: Iterable[str] | None = None,
    ) -> None:
        """AddClientIDToOpenIDConnectProvider / RemoveClientIDFromOpenIDConnectProvider / ...Thumbprint."""
        provider = self.get_open_id_connect_provider(arn)
        ids = provider.client_ids
        if add_client_id is not None:
            check_length(add_client_id, "clientID", 1, 255)
            if add_client_id not in ids:
                if len(ids) >= 100:
                    raise quota("ClientIdsPerOpenIdConnectProvider", 100)
                ids = (*ids, add_client_id)
        if remove_client_id is not None:
            check_length(remove_client_id, "clientID", 1, 255)
            ids = tuple(i for i in ids if i != remove_client_id)
        prints = provider.thumbprints
        if thumbprints is not None:
            prints = tuple(thumbprints)
            for thumbprint in prints:
                check_length(thumbprint, "thumbprintList.member", 40, 40)
            if len(prints) > 5:
                raise quota("ThumbprintsPerOpenIdConnectProvider", 5)
        self._data.put(self._data.oidc, arn, replace(provider, client_ids=ids, thumbprints=prints))

    def configure_open_id_connect_provider(
        self,
        arn: str,
        *,
        context_provider: Mapping[str, Any] | None = None,
        identity_center_instance_arn: str | None = None,
        remove_context_provider: bool = False,
        remove_identity_center_instance: bool = False,
    ) -> None:
        """UpdateOpenIDConnectProvider: set or remove the context provider or the Identity Center instance (§H.5)."""
        provider = self.get_open_id_connect_provider(arn)
        self._data.oidc[arn] = updated_provider(
            provider,
            context=context_provider,
            instance_arn=identity_center_instance_arn,
            remove_context=remove_context_provider,
            remove_instance=remove_identity_center_instance,
        )
        self._data.bump()

    def create_saml_provider(
        self, name: str, metadata_document: str, *, tags: Tags | Mapping[str, str] | None = None
    ) -> SamlProvider:
        """CreateSAMLProvider: the metadata must parse as a SAML ``EntityDescriptor``."""
        check_saml_name(name)
        valid_until = metadata_valid_until(metadata_document, self._data.clock.now())
        tag_list = normalise_tags(tags)
        arn = self._data.arn("saml-provider", "/", name)
        if arn in self._data.saml:
            raise EntityAlreadyExistsError(f"SAMLProvider {name} already exists.")
        if len(self._data.saml) >= _SAML_PROVIDERS_PER_ACCOUNT:
            raise quota("SAMLProvidersPerAccount", _SAML_PROVIDERS_PER_ACCOUNT)
        provider = SamlProvider(arn, name, metadata_document, self._data.now(), valid_until, tag_list)
        return self._data.put(self._data.saml, arn, provider)

    def get_saml_provider(self, arn: str) -> SamlProvider:
        """GetSAMLProvider."""
        return found(self._data.saml, arn, f"Manifest not found for arn {arn}")

    def list_saml_providers(self) -> tuple[SamlProvider, ...]:
        """ListSAMLProviders, by ARN."""
        return tuple(self._data.saml[k] for k in sorted(self._data.saml))

    def update_saml_provider(self, arn: str, metadata_document: str) -> SamlProvider:
        """UpdateSAMLProvider: replaces the metadata document."""
        provider = self.get_saml_provider(arn)
        valid_until = metadata_valid_until(metadata_document, self._data.clock.now())
        provider = replace(provider, metadata_document=metadata_document, valid_until=valid_until)
        return self._data.put(self._data.saml, arn, provider)

    def delete_saml_provider(self, arn: str) -> None:
        """DeleteSAMLProvider."""
        self.get_saml_provider(arn)
        del self._data.saml[arn]
        self._data.bump()

    def tag_saml_provider(self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagSAMLProvider / UntagSAMLProvider."""
        provider = self.get_saml_provider(arn)
        self._data.retag(self._data.saml, arn, provider, tags, remove)
