"""The languages a pad offers: one list, used by the model, the API and the sockets."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    id: str
    name: str
    runnable: bool = False


LANGUAGES = (
    Language("javascript", "JavaScript", runnable=True),
    Language("typescript", "TypeScript", runnable=True),
    Language("python", "Python", runnable=True),
    Language("java", "Java"),
    Language("c", "C"),
    Language("cpp", "C++"),
    Language("csharp", "C#"),
    Language("go", "Go"),
    Language("rust", "Rust"),
    Language("ruby", "Ruby"),
    Language("kotlin", "Kotlin"),
    Language("swift", "Swift"),
    Language("php", "PHP"),
    Language("sql", "SQL"),
    Language("plaintext", "Plain text"),
)
LANGUAGE_IDS = frozenset(language.id for language in LANGUAGES)
LANGUAGE_CHOICES = [(language.id, language.name) for language in LANGUAGES]
DEFAULT_LANGUAGE = "python"


def is_language(value) -> bool:
    """True for the id of an offered language (any other value, of any type, is not one)."""
    return isinstance(value, str) and value in LANGUAGE_IDS
