"""The package's one error style (docs/ARCHITECTURE.md, "Errors"), checked
over the sources so a new error in another style fails `make test`.

Every type that conforms to `Error` is a struct (no enum errors) with an
extensible `Code` (a RawRepresentable struct of static lets, so the string
values stay stable and new codes break no caller) and a `message`. The few
whose code is someone else's vocabulary are named below with why.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = ROOT / "Sources"

# Errors whose code is a vocabulary defined elsewhere, not by the module.
FOREIGN_CODES = {
    "RPCError": "its code is the wire's StatusCode (Protos/waiaas/v1/wallet.proto)",
    "SQLiteError": "its code is libsqlite3's extended result code; only WaiaasLedger sees it",
    "Refusal": "SignSubject.Refusal carries the wire's ReasonCode",
    "CLIFailure": "its code is the command's exit status",
    "BenchError": "waiaas-bench is a measuring tool, not part of the product",
}

DECLARATION = re.compile(r"^\s*(?:public |package |internal |private |fileprivate )?(struct|enum|class|actor) (\w+)\s*:\s*([^{]*)\{", re.M)


def error_types():
    for path in sorted(SOURCES.rglob("*.swift")):
        if "Generated" in path.parts:
            continue
        text = path.read_text()
        for match in DECLARATION.finditer(text):
            conformances = [c.strip() for c in match.group(3).split(",")]
            if "Error" in conformances or "Swift.Error" in conformances:
                yield path, match.group(1), match.group(2), text, match.end()


def body(text, start):
    """The declaration's body, from just after its `{` to the matching `}`."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start:index]
    raise AssertionError("unbalanced braces")


def test_the_scan_finds_the_errors_it_checks():
    names = {name for _, _, name, _, _ in error_types()}
    # If the pattern stopped matching, every other test would pass vacuously.
    assert {"LedgerError", "ChainError", "AttestationError", "PolicyError", "DaemonError"} <= names, names


def test_no_error_is_an_enum_or_a_class():
    offenders = [f"{p.relative_to(ROOT)}: {kind} {name}" for p, kind, name, _, _ in error_types() if kind != "struct"]
    assert offenders == []


def test_every_error_has_an_extensible_code_and_a_message():
    offenders = []
    for path, _, name, text, start in error_types():
        if name in FOREIGN_CODES:
            continue
        inner = body(text, start)
        has_code = re.search(r"struct Code\s*:\s*RawRepresentable", inner) and re.search(r"(var|let) code: Code\b", inner)
        has_message = re.search(r"(var|let) message: String\b", inner)
        if not (has_code and has_message):
            offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == [], "errors without a Code struct and a message: " + ", ".join(offenders)


def test_codes_are_snake_case_and_unique_per_error():
    for path, _, name, text, start in error_types():
        if name in FOREIGN_CODES:
            continue
        values = re.findall(r'static let \w+ = Code\(rawValue: "([^"]+)"\)', body(text, start))
        assert values, f"{name} declares no codes"
        assert len(values) == len(set(values)), f"{name} repeats a code: {values}"
        for value in values:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", value), f"{name}: {value!r} is not snake_case"
