"""Every tunable number of the scorer, in one place.

Final: the compiled kernel (``setup.py``) builds them into its code as constants.
"""

from __future__ import annotations

from typing import Final

DEFAULT_THRESHOLD: Final = 0.75
"""The one documented default: a pair scoring at least this is a match."""

WEAK_WEIGHT: Final = 0.1  # legal forms, stop words, vessel prefixes
TITLE_WEIGHT: Final = 0.0  # titles of persons (President, Dr, Sheikh, ...)
GENERIC_WEIGHT: Final = 0.7  # generic business words (trading, industries, ...)
STRONG_WEIGHT: Final = 1.0
PERSON_EXTRA_WEIGHT: Final = 0.2  # an unmatched extra given/middle name of a person
TOLERANCE_MATCHES: Final = 1  # ... tolerated only when this many names of the two agree
EXTRA_NAMES: Final = 1  # ... and the extra names are at most this many more than agree
MIN_PAIR_SIM: Final = 0.6  # below this, two aligned tokens count as not matching
GOOD_PAIR_SIM: Final = 0.8  # below this, a strong token counts as a mismatch
APART_SIM: Final = 0.55  # across scripts, short words an informative letter apart (ה / ch,
# r / l in ``rimon`` / Limon): two words, not paired (below MIN_PAIR_SIM)
LOOSE_GOOD: Final = 0.75  # across scripts, a close spelling with a similar skeleton is good
MISMATCH_FACTOR: Final = 0.7  # score multiplier per mismatched strong token
NUMBER_CONFLICT_FACTOR: Final = 0.55  # both names carry numbers and they differ
NUMBER_MISSING_FACTOR: Final = 0.7  # only one name carries a number
LEGAL_CONFLICT_FACTOR: Final = 0.75  # two different national legal forms
FORMER_FACTOR: Final = 0.97
JOINED_SKELETON: Final = 4  # consonants a joined name needs before its skeleton counts
READING_PAIRS: Final = 2  # with more reading pairs than this, align only the likeliest
PROXY_LENGTH_STEP: Final = 0.01  # ... ranked by a proxy less this per word more or fewer,
PROXY_ALL_WORDS: Final = 0.001  # ... a tie-break by every word (legal forms, numbers) agreeing
PROXY_SAME_NAME: Final = 0.002  # ... and a name written the same first (OAO / PJSC CHAIKA)
STRICT: Final = 0.75  # cost of a consonant-skeleton difference between Latin tokens
PERSON_STRICT: Final = 0.4  # the match is on a former name

# Entity-level evidence, added to the name score (then clamped to [0, 1]).
ID_MATCH: Final = 0.4
ID_CONFLICT: Final = -0.25
DOB_EXACT: Final = 0.06
DOB_YEAR: Final = 0.03
DOB_CONFLICT: Final = -0.3
COUNTRY_MATCH: Final = 0.03
COUNTRY_CONFLICT: Final = -0.08
GENDER_CONFLICT: Final = -0.15

# How informative a name word is (names/rarity.py): words of many listed people weigh less.
RARE_DF: Final = 20  # a word of fewer listed people than this weighs STRONG_WEIGHT
COMMON_SLOPE: Final = 0.25  # weight lost per e-fold of people above RARE_DF
COMMON_MIN_WEIGHT: Final = 0.4  # the most common given names (Mohammed, Ali, Abu)
TOLERANCE_WEIGHT: Final = 1.2  # an extra name is tolerated only beside a rare agreeing name,
# or agreeing names weighing this together
RELAXED_WEIGHT: Final = 2.0  # names agreeing only by skeleton excuse a listed name left over
# only when they weigh this together (two rare names), or a patronymic is what is left
SECURE_SIM: Final = GOOD_PAIR_SIM  # across scripts, only names whose (folded) spellings agree
# this well, not by consonant skeleton alone, excuse extra names
RUN_SPELT_SIM: Final = 0.77  # across scripts, a merged run spelt at least this like its token
# (``abdul allah`` / Abdullah 0.78; not ``abudara`` / ``Abu Zahra`` 0.75)
NEAR_SUPPORT: Final = 0.9  # a weaker pair (MIN_PAIR_SIM..GOOD_PAIR_SIM) is near, not a mismatch,
NEAR_FACTOR: Final = 0.9  # beside good pairs weighing this per near one: times this factor
ACRONYM_SCORE: Final = 0.8  # an organisation's initials as one word (IRGC): just a match
ACRONYM_MIN: Final = 3  # ... of a name of at least this many distinctive words
