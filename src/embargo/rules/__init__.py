"""Programme rules: catalogue, rules and licences as data, and the engine that decides."""

from embargo.rules.catalogue import Catalogue, Programme, default_catalogue, load_catalogue
from embargo.rules.decision import ALLOWED, LICENSED, PROHIBITED, REVIEW, Decision, Reason
from embargo.rules.definitions import Licence, Rule, Rulebook, default_rulebook, load_rulebook
from embargo.rules.engine import Context, Engine
from embargo.rules.resolve import ListedMatch, ListView, view_from_store
from embargo.rules.transaction import Transaction, parse_transaction

__all__ = [
    "ALLOWED",
    "LICENSED",
    "PROHIBITED",
    "REVIEW",
    "Catalogue",
    "Context",
    "Decision",
    "Engine",
    "Licence",
    "ListView",
    "ListedMatch",
    "Programme",
    "Reason",
    "Rule",
    "Rulebook",
    "Transaction",
    "default_catalogue",
    "default_rulebook",
    "load_catalogue",
    "load_rulebook",
    "parse_transaction",
    "view_from_store",
]
