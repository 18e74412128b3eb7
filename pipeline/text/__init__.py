"""Pure functions on strings and tokens: no file I/O except reading packaged resources."""

#: The languages the pipeline separates, normalizes and models, in the order shown.
LANGS = ("id", "en")
