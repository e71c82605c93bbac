"""Spreadsheet import and export of the organisation."""
