"""Expert models: the listing query and page, one expert, categories, and the admin's create/update."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from chalicelib.models.base import (
    Category,
    ExpertName,
    ZoneName,
    _Model,
    _Out,
)

SEARCH_MAX = 100


class ExpertsQuery(_Model):
    q: str | None = Field(default=None, max_length=SEARCH_MAX)
    category: str | None = Field(default=None, max_length=64)
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=12, ge=1, le=50)


class ExpertOut(_Out):
    id: str
    name: str
    category: str
    experience_years: int
    rating: float = Field(ge=0, le=5)
    bio: str
    timezone: str
    session_minutes: int


class ExpertPageOut(_Out):
    items: list[ExpertOut]
    page: int
    limit: int
    total: int
    total_pages: int


class CategoriesQuery(_Model):
    q: str | None = Field(default=None, max_length=SEARCH_MAX)


class CategoryOut(_Out):
    name: str
    count: int


class CategoriesOut(_Out):
    items: list[CategoryOut]


# A rating is kept to two decimals: DynamoDB numbers stop at 1E-130, and nobody rates 1.5e-224 stars.
Rating = Annotated[float, Field(ge=0, le=5), AfterValidator(lambda value: round(value, 2))]


class ExpertCreate(_Model):
    name: ExpertName
    category: Category
    experience_years: int = Field(ge=0, le=80)
    rating: Rating
    bio: str = Field(default="", max_length=2000)
    timezone: ZoneName
    session_minutes: int = Field(ge=15, le=240, multiple_of=5)


class ExpertUpdate(_Model):
    name: ExpertName | None = None
    category: Category | None = None
    experience_years: int | None = Field(default=None, ge=0, le=80)
    rating: Rating | None = None
    bio: str | None = Field(default=None, max_length=2000)
    timezone: ZoneName | None = None
    session_minutes: int | None = Field(default=None, ge=15, le=240, multiple_of=5)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)
