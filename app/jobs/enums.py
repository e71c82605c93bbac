"""The enumerations of job descriptions (KPI direction and period, duty frequency, requirement
kind, version status) with their translated labels; ``app.jobs.models`` re-exports them."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class LabelledEnum(str, enum.Enum):
    """A string enum whose members have a translated label (from ``labels()``)."""

    @property
    def label(self) -> str:
        return str(self.labels()[self])

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls):
        return [(member.value, member.label) for member in cls]

    @classmethod
    def values(cls) -> set[str]:
        return {member.value for member in cls}


class Direction(LabelledEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @classmethod
    def labels(cls):
        return {cls.HIGHER: _l("Higher is better"), cls.LOWER: _l("Lower is better")}


class HasDirection:
    """For anything with a ``direction`` string: a library KPI and a version's copy of one."""

    @property
    def direction_enum(self) -> Direction:
        return Direction(self.direction)

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER.value


class Period(LabelledEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @classmethod
    def labels(cls):
        return {cls.MONTHLY: _l("Monthly"), cls.QUARTERLY: _l("Quarterly"), cls.ANNUAL: _l("Annual")}


class Frequency(LabelledEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    AS_NEEDED = "as_needed"

    @classmethod
    def labels(cls):
        return {
            cls.DAILY: _l("Daily"),
            cls.WEEKLY: _l("Weekly"),
            cls.MONTHLY: _l("Monthly"),
            cls.QUARTERLY: _l("Quarterly"),
            cls.ANNUAL: _l("Annual"),
            cls.AS_NEEDED: _l("As needed"),
        }


class RequirementKind(LabelledEnum):
    EDUCATION = "education"
    EXPERIENCE = "experience"
    SKILLS = "skills"
    CERTIFICATION = "certification"
    LANGUAGE = "language"
    WORKING_CONDITIONS = "working_conditions"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.EDUCATION: _l("Education"),
            cls.EXPERIENCE: _l("Experience"),
            cls.SKILLS: _l("Skills and tools"),
            cls.CERTIFICATION: _l("Certification"),
            cls.LANGUAGE: _l("Language"),
            cls.WORKING_CONDITIONS: _l("Working conditions"),
            cls.OTHER: _l("Other"),
        }


class Status(LabelledEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.IN_REVIEW: _l("In review"),
            cls.APPROVED: _l("Approved"),
            cls.PUBLISHED: _l("Published"),
            cls.SUPERSEDED: _l("Superseded"),
        }


OPEN_STATUSES = (Status.DRAFT.value, Status.IN_REVIEW.value, Status.APPROVED.value)
FROZEN_STATUSES = (Status.PUBLISHED.value, Status.SUPERSEDED.value)
SCALE_MAX = 5  # competency levels run 1..5
