"""Users, roles, API tokens, login, the password policy and the permission functions."""
