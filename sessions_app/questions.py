"""Questions: what makes a valid one, and what each audience may see of it.

Candidates see the statement, the starter code and the visible test cases; the
hidden cases (their inputs and expected outputs) and the guidance reach only the
session's interviewers, by every path. The bank itself (listing, reading,
editing, attaching to a session) is for signed-in accounts.
"""
import json

from . import markdown
from .languages import LANGUAGE_IDS, is_language

MAX_STATEMENT_CHARS = 20_000
MAX_GUIDANCE_CHARS = 20_000
MAX_STARTER_BYTES = 64 * 1024
MAX_TESTS = 100
MAX_TEST_JSON_CHARS = 10_000
MAX_TAGS = 10


class InvalidQuestion(ValueError):
    """A question field that is not valid; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def validate_starter_code(value) -> dict:
    if not isinstance(value, dict):
        raise InvalidQuestion("starter_code", "must be an object: language id -> code")
    for language, code in value.items():
        if not is_language(language):
            raise InvalidQuestion("starter_code", f"unknown language '{str(language)[:40]}': one of "
                                  + ", ".join(sorted(LANGUAGE_IDS)))
        if not isinstance(code, str) or len(code.encode()) > MAX_STARTER_BYTES:
            raise InvalidQuestion("starter_code", f"the {language} code must be text of at most {MAX_STARTER_BYTES} B")
    return value


def validate_tests(value, function_name: str) -> list:
    """Test cases: [{"name", "input", "expected", "hidden"}]; with a function, `input` is a list of arguments."""
    if not isinstance(value, list) or len(value) > MAX_TESTS:
        raise InvalidQuestion("tests", f"must be a list of at most {MAX_TESTS} test cases")
    names = set()
    for index, case in enumerate(value):
        where = f"test case {index + 1}"
        if not isinstance(case, dict) or set(case) - {"name", "input", "expected", "hidden"}:
            raise InvalidQuestion("tests", f"{where} must be an object with name, input, expected and hidden")
        if not isinstance(case.get("name"), str) or not 0 < len(case["name"]) <= 100 or case["name"] in names:
            raise InvalidQuestion("tests", f"{where} needs a unique 'name' of 1 to 100 characters")
        names.add(case["name"])
        if not isinstance(case.get("hidden", False), bool):
            raise InvalidQuestion("tests", f"{where}: 'hidden' must be true or false")
        if "input" not in case or "expected" not in case:
            raise InvalidQuestion("tests", f"{where} needs an 'input' and an 'expected' output")
        if function_name and not isinstance(case["input"], list):
            raise InvalidQuestion("tests", f"{where}: 'input' must be the list of arguments of {function_name}")
        if not function_name and not (isinstance(case["input"], str) and isinstance(case["expected"], str)):
            raise InvalidQuestion("tests", f"{where}: without a function, 'input' and 'expected' are stdin and stdout")
        if len(json.dumps(case)) > MAX_TEST_JSON_CHARS:
            raise InvalidQuestion("tests", f"{where} is larger than {MAX_TEST_JSON_CHARS} characters")
    return value


def validate_tags(value) -> list:
    if not isinstance(value, list) or len(value) > MAX_TAGS:
        raise InvalidQuestion("tags", f"must be a list of at most {MAX_TAGS} tags")
    for tag in value:
        if not isinstance(tag, str) or not 0 < len(tag.strip()) <= 40:
            raise InvalidQuestion("tags", "each tag is text of 1 to 40 characters")
    return [tag.strip().lower() for tag in value]


def for_candidates(question) -> dict:
    """What everyone in a session started from `question` sees of it."""
    return {
        "id": question.pk,
        "title": question.title,
        "statement_html": markdown.render(question.statement),
        "difficulty": question.difficulty,
        "function_name": question.function_name,
        "starter_code": question.starter_code,
        "tests": [
            {"name": case["name"], "input": case["input"], "expected": case["expected"]}
            for case in question.tests if not case.get("hidden")
        ],
        "hidden_tests": sum(1 for case in question.tests if case.get("hidden")),
    }


def for_interviewers(question) -> dict:
    """Everything of `question`, for its session's interviewers and the bank."""
    return {
        **for_candidates(question),
        "tags": question.tags,
        "statement": question.statement,
        "guidance": question.guidance,
        "guidance_html": markdown.render(question.guidance),
        "tests": question.tests,
        "author": question.author.get_username() if question.author else None,
    }


def starter_for(question, language: str) -> str:
    return (question.starter_code or {}).get(language, "")
