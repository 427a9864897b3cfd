"""Support policies as data: typed rules, an explainer for one enterprise and a bulk screener
for the whole registry, exact money in fen. No Django here (an import contract checks it).
The rule and facts formats are documented in docs/policy-rules.md."""

from .catalogue import CaseResult, RuleFile, catalogue_of, parse_rule_file, run_case
from .explain import Outcome, evaluate, evaluate_rule, loan_years, version_in_force
from .facts import (
    Enterprise,
    FactProblem,
    FactsError,
    Loan,
    Project,
    Title,
    check_enterprise,
    parse_facts,
)
from .money import fen_str, half_up
from .rules import FACTS, Rule, RuleError, RuleProblem, parse_rule, with_changes

__all__ = [
    "FACTS",
    "CaseResult",
    "Enterprise",
    "FactProblem",
    "FactsError",
    "Loan",
    "Outcome",
    "Project",
    "Rule",
    "RuleError",
    "RuleFile",
    "RuleProblem",
    "Title",
    "catalogue_of",
    "check_enterprise",
    "evaluate",
    "evaluate_rule",
    "fen_str",
    "half_up",
    "loan_years",
    "parse_facts",
    "parse_rule",
    "parse_rule_file",
    "run_case",
    "version_in_force",
    "with_changes",
]
