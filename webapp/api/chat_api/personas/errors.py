"""The one error a catalog raises: every problem found, each naming its file and entry."""

from __future__ import annotations

# A file that is wrong throughout (say, every persona lacks a field) would otherwise
# fill the log with hundreds of lines that all say the same thing.
MAX_PROBLEMS_LISTED = 20


class PersonaCatalogError(Exception):
    """A catalog file is missing, unreadable or invalid.

    `problems` are for the log (they name the file, which may be a path); `summary` is the
    sentence the user sees, which names the setting to fix but never its value.
    """

    def __init__(self, problems: list[str], *, setting: str | None = None) -> None:
        if len(problems) > MAX_PROBLEMS_LISTED:
            hidden = len(problems) - MAX_PROBLEMS_LISTED
            more = "1 more problem" if hidden == 1 else f"{hidden} more problems"
            problems = [*problems[:MAX_PROBLEMS_LISTED], f"and {more}"]
        super().__init__("; ".join(problems))
        self.problems = problems
        self.setting = setting

    @property
    def summary(self) -> str:
        where = (
            f"{self.setting} does not hold a valid persona catalog"
            if self.setting
            else "the built-in persona catalog is not valid"
        )
        return where + " (the API's log names the entry to fix)"
