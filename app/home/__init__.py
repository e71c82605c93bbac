"""The pages above the domains: the home page, which gathers each domain's to-do list, and the
language switch (``views``). Registered by the factory; its template is ``templates/home/``."""
