"""Usage, limits and the admin's audit log: what each model call cost, and who may call."""
