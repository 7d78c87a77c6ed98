"""Which records may be the ends of a link, and which may be the record a link came from.

Deny by default: a link whose end or provenance is not of a registered kind is never shown. An end
or provenance whose model has an access rule (harbour.access.policy) is *protected*: the link is
shown only to users the policy lets see that record. Entities and places are pivot values, not
protected on their own.

Other apps add their records here (the evidence app its messages, say) from their AppConfig.ready:
`register_node_kind(...)` / `register_provenance(...)`.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class NodeKind:
    slug: str  # in URLs and the link chart: "person", "phone"...
    label: str
    model_label: str  # "people.Person"

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


NODE_KINDS: dict[str, NodeKind] = {}
PROVENANCE_MODELS: set[str] = set()
# Functions (user, records) -> {node_id: {"alerts": [text, ...]}} that add to what the link chart
# shows of a node (the analysis app's co-presence alerts, say). They must answer only from what
# the user may see; they are called with records the user may already see.
NODE_ANNOTATORS: list = []


def register_node_kind(slug: str, label: str, model_label: str) -> None:
    NODE_KINDS[slug] = NodeKind(slug, label, model_label)


def register_provenance(model_label: str) -> None:
    PROVENANCE_MODELS.add(model_label)


def register_node_annotator(annotator) -> None:
    if annotator not in NODE_ANNOTATORS:
        NODE_ANNOTATORS.append(annotator)


def node_kind(slug: str) -> NodeKind:
    try:
        return NODE_KINDS[slug]
    except KeyError:
        raise LookupError(slug) from None


def kind_for_model(model: type[models.Model]) -> NodeKind | None:
    label = model._meta.label
    for kind in NODE_KINDS.values():
        if kind.model_label == label:
            return kind
    return None


def provenance_models() -> list[type[models.Model]]:
    found = []
    for label in sorted(PROVENANCE_MODELS):
        try:
            found.append(apps.get_model(label))
        except LookupError:  # an app not installed here
            continue
    return found


def node_models() -> list[type[models.Model]]:
    found = []
    for kind in NODE_KINDS.values():
        try:
            found.append(kind.model)
        except LookupError:
            continue
    return found


def register_defaults() -> None:
    register_node_kind("person", "Person", "people.Person")
    register_node_kind("place", "Place", "missing.Place")
    register_node_kind("phone", "Phone number", "graph.Phone")
    register_node_kind("email", "Email address", "graph.EmailAddress")
    register_node_kind("vehicle", "Vehicle", "graph.Vehicle")
    register_node_kind("account", "Online account", "graph.OnlineAccount")
    register_node_kind("organisation", "Organisation", "graph.Organisation")
    register_node_kind("intelligence", "Intelligence report", "intel.IntelligenceReport")
    register_provenance("missing.MissingEpisode")
    register_provenance("missing.ReturnHomeInterview")
    register_provenance("intel.IntelligenceReport")
    register_provenance("evidence.Message")
