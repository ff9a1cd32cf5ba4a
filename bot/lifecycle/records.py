"""Database rows as JSON-ready dictionaries (dates in ISO 8601, amounts as exact decimal strings)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect


def json_value(value: Any) -> Any:
    """`value` as JSON can hold it without losing precision."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def mapping_record(row: Mapping[str, Any], exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A row's columns, but `exclude`."""
    left_out = set(exclude)
    return {key: json_value(value) for key, value in row.items() if key not in left_out}


def record(instance: Any, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """An ORM object's columns, but `exclude`."""
    columns = inspect(instance).mapper.column_attrs
    return mapping_record({column.key: getattr(instance, column.key) for column in columns}, exclude)
