"""The web workspace (`accountability serve`): Flask pages and a JSON API over one SQLite database, with audits run
as jobs of the command line's own audit. May import every stage below it; nothing below imports it."""
