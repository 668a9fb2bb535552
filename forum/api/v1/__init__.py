"""Version 1 of the JSON API: one module per resource group."""
