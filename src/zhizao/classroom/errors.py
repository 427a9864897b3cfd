class ClassroomError(Exception):
    """A business rule refused a classroom write. ``code`` is stable; ``message`` is for people;
    ``field`` names the form field it is about (None: the whole form)."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
