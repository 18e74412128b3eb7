"""Pure functions on strings and tokens: no file I/O except reading packaged resources."""
