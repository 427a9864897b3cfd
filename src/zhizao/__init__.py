"""Zhizao: the intelligent-manufacturing ecosystem platform."""
