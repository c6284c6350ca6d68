"""The languages a pad offers: one list, used by the model, the API and the sockets."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    id: str
    name: str
    extension: str  # of a file holding a program in it
    runnable: bool = False


LANGUAGES = (
    Language("javascript", "JavaScript", "js", runnable=True),
    Language("typescript", "TypeScript", "ts", runnable=True),
    Language("python", "Python", "py", runnable=True),
    Language("java", "Java", "java"),
    Language("c", "C", "c", runnable=True),
    Language("cpp", "C++", "cpp", runnable=True),
    Language("csharp", "C#", "cs"),
    Language("go", "Go", "go"),
    Language("rust", "Rust", "rs"),
    Language("ruby", "Ruby", "rb", runnable=True),
    Language("kotlin", "Kotlin", "kt"),
    Language("swift", "Swift", "swift"),
    Language("php", "PHP", "php", runnable=True),
    Language("sql", "SQL (SQLite)", "sql", runnable=True),
    Language("lua", "Lua", "lua", runnable=True),
    Language("postgresql", "PostgreSQL", "sql", runnable=True),
    Language("plaintext", "Plain text", "txt"),
)
LANGUAGES_BY_ID = {language.id: language for language in LANGUAGES}
LANGUAGE_IDS = frozenset(language.id for language in LANGUAGES)
LANGUAGE_CHOICES = [(language.id, language.name) for language in LANGUAGES]
DEFAULT_LANGUAGE = "python"


def is_language(value) -> bool:
    """True for the id of an offered language (any other value, of any type, is not one)."""
    return isinstance(value, str) and value in LANGUAGE_IDS
