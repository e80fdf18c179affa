"""Docs that stay honest: every column, rule code and option the code knows is documented."""

from __future__ import annotations

import ast
from pathlib import Path

from build_atlas.inputs.rules import RULES
from build_atlas.vocabulary.schema import MEASURE_COLUMNS, TABLES

ROOT = Path(__file__).resolve().parent.parent


def codes_raised_in(path: Path) -> set[str]:
    """The string codes passed as the 4th argument of Problem(...) / problem(...) calls in a module."""
    codes = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("Problem", "problem") and len(node.args) > 3:
            argument = node.args[3]
            if isinstance(argument, ast.Constant):
                codes.add(argument.value)
            elif isinstance(argument, ast.IfExp):  # code = "a" if ... else "b"
                branches = (argument.body, argument.orelse)
                codes |= {branch.value for branch in branches if isinstance(branch, ast.Constant)}
    return codes


# the modules that raise located problems
RULE_MODULES = ("load.py", "rules.py", "validate.py", "network.py", "quotes.py", "progress.py")


def test_every_problem_code_the_code_raises_is_a_documented_rule():
    raised = set()
    for module in RULE_MODULES:
        raised |= codes_raised_in(ROOT / "build_atlas" / "inputs" / module)
    assert raised, "found no codes: the AST walk is broken"
    assert raised - set(RULES) == set()


def test_every_rule_is_actually_checked_somewhere():
    raised = set().union(*(codes_raised_in(ROOT / "build_atlas" / "inputs" / module) for module in RULE_MODULES))
    source = "".join((ROOT / "build_atlas" / "inputs" / module).read_text(encoding="utf-8") for module in RULE_MODULES)
    unused = {code for code in RULES if code not in raised and f'code = "{code}"' not in source}
    assert unused == set()


def test_readme_lists_the_measures_columns_in_order_and_both_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ", ".join(column.name for column in MEASURE_COLUMNS) in readme
    assert "make site" in readme and "make test" in readme


def test_geodata_readme_names_every_geodata_table_and_column():
    readme = (ROOT / "geodata" / "README.md").read_text(encoding="utf-8")
    for name, columns in TABLES.items():
        if name.startswith("geodata/"):
            assert Path(name).name in readme, name
            missing = [column.name for column in columns if f"`{column.name}`" not in readme]
            assert missing == [], name


def test_every_plugin_option_has_a_docstring():
    tree = ast.parse((ROOT / "build_atlas" / "site" / "plugin.py").read_text(encoding="utf-8"))
    config = next(node for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.name == "AtlasConfig")
    body = config.body
    options = [i for i, node in enumerate(body) if isinstance(node, ast.Assign)]
    assert options
    undocumented = [ast.unparse(body[i].targets[0]) for i in options
                    if not (i + 1 < len(body) and isinstance(body[i + 1], ast.Expr)
                            and isinstance(body[i + 1].value, ast.Constant))]
    assert undocumented == []
