"""Domain errors, raised by the core and translated once at each edge (API 4xx, CLI exit 2).

SpinetrackError
├── InvalidInput(field, message)   input that breaks a rule; names the field at fault
│   └── InvalidCase                a triage case that does not validate
├── NotFound(what, key)            a record that does not exist (or is outside the caller's scope)
├── UnknownInstrument(instrument)  an instrument id with no definition
└── KnowledgeError(file, field)    a knowledge file that does not validate
"""


class SpinetrackError(Exception):
    """Base of every error the product explains to its user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(SpinetrackError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class InvalidCase(InvalidInput):
    pass


class NotFound(SpinetrackError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} not found")
        self.what = what
        self.key = key


class UnknownInstrument(InvalidInput):
    def __init__(self, instrument: str, field: str = "instrument") -> None:
        super().__init__(field, f"unknown instrument {instrument!r}")
        self.instrument = instrument


class KnowledgeError(SpinetrackError):
    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}")
        self.file = file
        self.field = field
