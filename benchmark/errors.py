"""The one error type for bad user input: the CLI prints its message and exits with code 2."""


class InputError(Exception):
    """Bad input (a file, a line, a value): the message says where, what is wrong and what to do."""

    def __init__(self, message: str, *, path: object = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
