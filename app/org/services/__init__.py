"""Operations on the organisation, and its named queries. Services flush; callers commit.

One module per concept; everything public is available from ``app.org.services`` as before.
"""
from __future__ import annotations

from app.org.services.common import (get_or_404, get_department, get_position, get_employee, clean_text,
                                     ensure_unique, current_filter)
from app.org.services.departments import (DepartmentData, subtree_condition, subtree_ids, list_departments,
                                          department_position_counts, load_department_page, department_choices,
                                          create_department, update_department, department_references,
                                          delete_department, archive_department)
from app.org.services.positions import (PositionData, chain_up, subtree_position_ids, create_position,
                                        update_position, POSITION_HISTORY_TABLES, position_references,
                                        delete_position, archive_position, holder_counts, filled_counts,
                                        list_positions, position_ids_for_codes, position_codes_for_ids,
                                        find_positions, position_choices, current_holders, holder_names,
                                        load_position_page, dotted_reports, direct_subordinates, head_first,
                                        position_levels, reporting_levels)
from app.org.services.employees import (EmployeeData, create_employee, update_employee, load_employee_page,
                                        list_employees, get_assignment, list_assignments, assign,
                                        update_assignment, end_assignment, delete_assignment, primary_position)
from app.org.services.scope import (managers_of_position, managers_of_positions, manager_of, positions_held_by_user,
                                    managed_position_ids, employees_in_subtree_of, employee_in_subtree_of,
                                    employee_ids_visible_to)

__all__ = [
    "get_or_404", "get_department", "get_position", "get_employee", "clean_text", "ensure_unique",
    "current_filter", "DepartmentData", "subtree_condition", "subtree_ids", "list_departments",
    "department_position_counts", "load_department_page", "department_choices", "create_department",
    "update_department", "department_references", "delete_department", "archive_department", "PositionData",
    "chain_up", "subtree_position_ids", "create_position", "update_position", "POSITION_HISTORY_TABLES",
    "position_references", "delete_position", "archive_position", "holder_counts", "filled_counts",
    "list_positions", "position_ids_for_codes", "position_codes_for_ids", "find_positions", "position_choices",
    "current_holders", "holder_names", "load_position_page", "dotted_reports", "direct_subordinates",
    "head_first", "position_levels", "reporting_levels",
    "EmployeeData", "create_employee",
    "update_employee", "load_employee_page", "list_employees", "get_assignment", "list_assignments", "assign",
    "update_assignment", "end_assignment", "delete_assignment", "primary_position", "managers_of_position",
    "managers_of_positions",
    "manager_of",
    "positions_held_by_user", "managed_position_ids", "employees_in_subtree_of", "employee_in_subtree_of",
    "employee_ids_visible_to",
]
