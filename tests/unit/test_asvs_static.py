"""Source-level guards behind the ASVS checklist (docs/security/asvs/V1.yaml): what Accord's
code never does, read from its syntax trees (the scanned modules are not run).

- no dynamic code execution (eval, exec, compile) (ASVS 5.0 1.3.2);
- no shell: no os.system/os.popen, no `shell=True`, subprocess arguments as a list (1.2.5);
- every hand-written SQL string is a literal, so data only ever reaches SQL as a bound
  parameter of SQLAlchemy (1.2.4);
- no pickle, marshal or shelve, no unsafe YAML loader, NumPy never unpickles (1.5.2);
- no XML parser at all, so there is no XXE to configure away (1.5.1);
- templates are files or module constants, never built from data (1.3.7);
- format strings are code constants with plain fields (1.3.10).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import accord
from accord.coach import drafts, phrasebook

SRC = Path(accord.__file__).parent


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield str(path.relative_to(SRC.parent)), ast.parse(path.read_text(encoding="utf-8"))


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _name(func: ast.expr) -> str:
    """`a.b.c(...)` -> "a.b.c"; `f(...)` -> "f"; anything else -> ""."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        inner = _name(func.value)
        return f"{inner}.{func.attr}" if inner else func.attr
    return ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_list(arg: ast.expr) -> bool:
    return isinstance(arg, ast.List | ast.Tuple)


def _literal(arg: ast.expr) -> bool:
    """A string constant, or a conditional between two of them."""
    if isinstance(arg, ast.IfExp):
        return _literal(arg.body) and _literal(arg.orelse)
    return isinstance(arg, ast.Constant) and isinstance(arg.value, str)


def _imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_scan_sees_the_whole_package() -> None:
    names = {name for name, _ in _modules()}
    assert "accord/api/app.py" in names and "accord/web/security.py" in names
    assert len(names) > 100


def test_no_dynamic_code_execution() -> None:
    found = [
        (where, call.lineno, _name(call.func))
        for where, tree in _modules()
        for call in _calls(tree)
        if _name(call.func) in {"eval", "exec", "compile", "__import__", "builtins.eval"}
    ]
    assert found == []


def test_no_shell_and_commands_are_argument_lists() -> None:
    found = []
    for where, tree in _modules():
        for call in _calls(tree):
            name = _name(call.func)
            shell = _keyword(call, "shell")
            if name in {"os.system", "os.popen", "os.execl", "os.execlp", "os.spawnl"}:
                found.append((where, call.lineno, name))
            elif shell is not None and not (
                isinstance(shell, ast.Constant) and shell.value is False
            ):
                found.append((where, call.lineno, "shell="))
            elif name.startswith("subprocess.") and call.args and not _is_list(call.args[0]):
                found.append((where, call.lineno, f"{name} without an argument list"))
    assert found == []


def test_hand_written_sql_is_always_a_literal() -> None:
    """`text(...)` and `exec_driver_sql(...)` take string literals only: an f-string, a `+`
    or a variable would be a way for data into the SQL itself."""
    found = []
    for where, tree in _modules():
        for call in _calls(tree):
            name = _name(call.func)
            sql = name in {"text", "sqlalchemy.text", "sa.text"} or name.endswith(
                ".exec_driver_sql"
            )
            if sql and call.args and not _literal(call.args[0]):
                found.append((where, call.lineno, name))
    assert found == []


def test_no_unsafe_deserialisation() -> None:
    found = []
    for where, tree in _modules():
        unsafe = _imports(tree) & {"pickle", "cPickle", "marshal", "shelve", "dill", "jsonpickle"}
        found += [(where, 0, name) for name in sorted(unsafe)]
        for call in _calls(tree):
            name = _name(call.func)
            if name in {"yaml.load", "yaml.unsafe_load", "yaml.full_load", "yaml.load_all"}:
                found.append((where, call.lineno, name))
            if name in {"np.load", "numpy.load"}:
                flag = _keyword(call, "allow_pickle")
                if not (isinstance(flag, ast.Constant) and flag.value is False):
                    found.append((where, call.lineno, f"{name} may unpickle"))
    assert found == []


def test_no_xml_parser_is_used() -> None:
    found = [
        (where, module)
        for where, tree in _modules()
        for module in _imports(tree)
        if module.split(".")[0] in {"xml", "lxml", "xmltodict", "defusedxml"}
    ]
    assert found == []


def test_templates_are_files_or_constants() -> None:
    """Jinja templates come from the template folder or a module-level constant, so no
    template is ever assembled from data (template injection)."""
    found = []
    for where, tree in _modules():
        for call in _calls(tree):
            name = _name(call.func)
            if name.endswith(("from_string", "jinja2.Template")) or name == "Template":
                arg = call.args[0] if call.args else None
                constant = isinstance(arg, ast.Name) and arg.id.isupper()
                if not (constant or isinstance(arg, ast.Constant)):
                    found.append((where, call.lineno, name))
    assert found == []


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


def test_format_strings_are_constants_with_plain_fields() -> None:
    """1.3.10: str.format runs only on format strings written in the code (the reply coach's
    phrasebook, the report's <mark> Markup), with plain named or positional fields (no
    attribute, index, conversion or spec); data only ever fills a field, and a value holding
    braces is inserted as it is."""
    receivers = sorted(
        (where, ast.unparse(call.func.value))
        for where, tree in _modules()
        for call in _calls(tree)
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in {"format", "format_map"}
        and not isinstance(call.func.value, ast.Constant)
    )
    assert receivers == [("accord/analysis/report.py", "mark"), ("accord/coach/drafts.py", "o")]
    sentences = [s for value in vars(phrasebook).values() for s in _strings(value)]
    assert len(sentences) > 50
    for sentence in sentences:
        for _, field, spec, conversion in string.Formatter().parse(sentence):
            if field is not None:
                assert re.fullmatch(r"[a-z]*", field) and not spec and not conversion, sentence
    picked = drafts._Picker(0, ()).pick(["Hi {name},"], name="{name.__class__} {0} {x!r}")
    assert picked == "Hi {name.__class__} {0} {x!r},"
