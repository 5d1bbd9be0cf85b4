"""Domain rules as plain functions, one module per domain; views, CLI and API all call these."""
