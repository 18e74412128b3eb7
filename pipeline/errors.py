"""The one exception type a user may see, always as a single line with the fix."""


class PipelineError(Exception):
    """A user-facing error: what went wrong, where, and what to do about it.

    Parameters
    ----------
    message : str
        One line naming the file or setting at fault and the fix.
    """


class ArtifactError(PipelineError):
    """An artifact on disk is missing, truncated, hand-edited or of another schema."""
