"""Every two-word ``zhizao`` command (``zhizao calls demo``) reaches a management command, and
every pure one reaches its module: a word listed without a command behind it would answer
"Unknown command" to an operator's script."""

from __future__ import annotations

import importlib

from django.core.management import get_commands

from zhizao.cli import GROUPS, PURE, translate_argv


def test_every_two_word_command_has_a_management_command():
    commands = get_commands()
    missing = [
        f"{group} {word}"
        for group, words in GROUPS.items()
        for word in sorted(words)
        if translate_argv([group, word])[0] not in commands
    ]
    assert missing == []


def test_every_pure_command_has_a_main():
    assert sorted(PURE) == [
        ("expo", "schedule"),
        ("match", "rank"),
        ("review", "aggregate"),
        ("review", "assign"),
        ("review", "draw"),
    ]
    for module, _ in PURE.values():
        assert callable(importlib.import_module(module).main)


def test_two_words_become_the_command_name_and_the_rest_passes_through():
    assert translate_argv(["calls", "demo", "-v0"]) == ["calls_demo", "-v0"]
    assert translate_argv(["registry", "load-reference"]) == ["registry_load_reference"]
    assert translate_argv(["migrate", "--plan"]) == ["migrate", "--plan"]
