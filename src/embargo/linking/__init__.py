"""The same party on several lists: entries of different lists linked as one party."""

from embargo.linking.links import Link, Links, link_entities

__all__ = ["Link", "Links", "link_entities"]
