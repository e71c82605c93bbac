"""Operations on the organisation, and its named queries. Services flush; callers commit.

One module per concept; everything public is available from ``app.org.services`` as before.
"""
from __future__ import annotations

from app.org.services.common import (
                                     clean_text,
                                     current_filter,
                                     ensure_unique,
                                     get_department,
                                     get_employee,
                                     get_or_404,
                                     get_position,
)
from app.org.services.departments import (
                                     DepartmentData,
                                     archive_department,
                                     create_department,
                                     delete_department,
                                     department_choices,
                                     department_position_counts,
                                     department_references,
                                     list_departments,
                                     load_department_page,
                                     subtree_condition,
                                     subtree_ids,
                                     update_department,
)
from app.org.services.employees import (
                                     EmployeeData,
                                     assign,
                                     create_employee,
                                     delete_assignment,
                                     end_assignment,
                                     get_assignment,
                                     list_assignments,
                                     list_employees,
                                     load_employee_page,
                                     primary_position,
                                     update_assignment,
                                     update_employee,
)
from app.org.services.positions import (
                                     POSITION_HISTORY_TABLES,
                                     PositionData,
                                     archive_position,
                                     archive_positions,
                                     chain_up,
                                     create_position,
                                     current_holders,
                                     delete_position,
                                     direct_subordinates,
                                     dotted_reports,
                                     filled_counts,
                                     find_positions,
                                     head_first,
                                     holder_counts,
                                     holder_names,
                                     list_positions,
                                     load_position_page,
                                     position_choices,
                                     position_codes_for_ids,
                                     position_ids_for_codes,
                                     position_levels,
                                     position_references,
                                     reporting_levels,
                                     subtree_position_ids,
                                     update_position,
)
from app.org.services.scope import (
                                     employee_ids_visible_to,
                                     employee_in_subtree_of,
                                     employees_in_subtree_of,
                                     managed_position_ids,
                                     manager_of,
                                     managers_of_position,
                                     managers_of_positions,
                                     positions_held_by_user,
)

__all__ = [
    "get_or_404", "get_department", "get_position", "get_employee", "clean_text", "ensure_unique",
    "current_filter", "DepartmentData", "subtree_condition", "subtree_ids", "list_departments",
    "department_position_counts", "load_department_page", "department_choices", "create_department",
    "update_department", "department_references", "delete_department", "archive_department", "PositionData",
    "chain_up", "subtree_position_ids", "create_position", "update_position", "POSITION_HISTORY_TABLES",
    "position_references", "delete_position", "archive_position", "archive_positions", "holder_counts", "filled_counts",
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
