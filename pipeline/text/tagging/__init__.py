"""The part-of-speech tagger's parts: CoNLL-U reading and writing, token views, training.

The tagger itself (features, decoding, the shipped weights) is :mod:`pipeline.text.tagger`.
"""
