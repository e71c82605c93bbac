"""Job descriptions: drafting, review, publication, the KPI and competency libraries, imports."""
