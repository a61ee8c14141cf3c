class ObjectIdConverter:
    """A 24-hex record id in a URL. Anything else is a 404 before the database is asked
    (PostgreSQL would refuse some strings, such as ones holding NUL, with an error)."""

    regex = "[0-9a-f]{24}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
