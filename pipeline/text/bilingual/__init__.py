"""Indonesian-English correspondences: terms of one document paired, and the corpus glossary.

- :mod:`.dictionary`: the shipped word and phrase dictionary (FreeDict / WikDict).
- :mod:`.lexicon`: word-level evidence (identical forms, dictionary, cognates).
- :mod:`.align`: the terms of one bilingual document paired.
- :mod:`.glossary`: the concepts of a corpus named in both languages.
- :mod:`.concepts`: themes merged into concepts, look-ups across languages, TBX export.
"""

from .align import EVIDENCE_KINDS, Term, align_terms, merge_terms
from .concepts import documents_holding, glossary_rows, glossary_tbx, merge_themes
from .dictionary import BilingualDictionary, load_dictionary, phrase_key, read_dictionary
from .glossary import Glossary
from .lexicon import cognate_similarity, phrase_similarity, phrase_words

__all__ = ["BilingualDictionary", "EVIDENCE_KINDS", "Glossary", "Term", "align_terms", "cognate_similarity",
           "documents_holding", "glossary_rows", "glossary_tbx", "load_dictionary", "merge_terms",
           "merge_themes", "phrase_key", "phrase_similarity", "phrase_words", "read_dictionary"]
