"""The block extractor finds what the docs tests run, and skips what pages mark as not runnable."""

from __future__ import annotations

from pathlib import Path

from .markdown_blocks import Page, cli_commands, read_page

SAMPLE = """# Sample
<!-- docs-cwd: examples -->
<!-- docs-run-cli -->

```python
x = 1
print(x)
```

It prints:

```output
1
```

<!-- no-run -->
```python
raise SystemExit("never")
```

```python no-run
raise SystemExit("never either")
```

1. In a list:

    ```python
    y = x + 1
    ```

````markdown
```python
inside = "a quoted fence"
```
````

```console
$ iamsim explain --principal ec2.amazonaws.com \\
    --action sts:AssumeRole
principal: ec2.amazonaws.com
ALLOWED
$ make test
$ iamsim --version
```
"""


def _page(tmp_path: Path) -> Page:
    path = tmp_path / "sample.md"
    path.write_text(SAMPLE, encoding="utf-8")
    return read_page(path)


def test_python_blocks_pair_with_their_output_and_skip_marked_ones(tmp_path: Path) -> None:
    page = _page(tmp_path)
    steps = page.python_steps()
    assert [block.text for block, _ in steps] == ["x = 1\nprint(x)", "y = x + 1"]
    first_output = steps[0][1]
    assert first_output is not None
    assert first_output.text == "1"
    assert steps[1][1] is None


def test_block_lines_point_at_the_first_content_line(tmp_path: Path) -> None:
    page = _page(tmp_path)
    first = page.python_steps()[0][0]
    assert SAMPLE.splitlines()[first.line - 1] == "x = 1"


def test_a_fence_inside_a_longer_fence_is_text(tmp_path: Path) -> None:
    page = _page(tmp_path)
    quoted = next(b for b in page.blocks if b.language == "markdown")
    assert 'inside = "a quoted fence"' in quoted.text
    assert all("inside" not in b.text for b, _ in page.python_steps())


def test_directives_are_read(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert page.cwd == "examples"
    assert page.run_cli


def test_cli_commands_join_continuations_and_keep_their_output(tmp_path: Path) -> None:
    page = _page(tmp_path)
    console = next(b for b in page.blocks if b.language == "console")
    commands = cli_commands(console)
    assert [c.argv for c in commands] == [
        "iamsim explain --principal ec2.amazonaws.com --action sts:AssumeRole",
        "iamsim --version",
    ]
    assert commands[0].shown_output == ("principal: ec2.amazonaws.com", "ALLOWED")
    assert commands[1].shown_output == ()
