"""Name analysis: scripts, romanisation, weak words, numbers and phonetic keys."""

from embargo.names.analyse import analyse, analyse_all, warm
from embargo.names.form import NameForm
from embargo.names.phonetic import fold, phonetic_key, skeleton
from embargo.names.script import dominant_script

__all__ = [
    "NameForm",
    "analyse",
    "analyse_all",
    "dominant_script",
    "fold",
    "phonetic_key",
    "skeleton",
    "warm",
]
