"""Importers of outside data: `flask import drugs | qa | pills`, one command group."""
