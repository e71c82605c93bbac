"""Departments, positions, reporting lines, employees, assignments, headcount and org charts."""
