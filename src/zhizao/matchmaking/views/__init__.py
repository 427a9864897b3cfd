"""Matchmaking pages: thin views over ``access``, ``services``, ``index`` and ``stats``."""
