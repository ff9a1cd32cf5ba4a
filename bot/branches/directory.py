"""Branch directory: load, validate and search the bank's branches by city and district."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.branches import places
from bot.core.text import normalize
from bot.core.yaml_lines import LineSequence, load_with_lines

REQUIRED_FIELDS = ("id", "name", "city", "district", "address", "hours")
_CITY_SUFFIX = "市"
_DISTRICT_SUFFIXES = ("新区", "区", "县")
_BRANCH_SUFFIXES = ("支行", "分行", "营业部")


@dataclass(frozen=True)
class Branch:
    """One branch: where it is, when it opens and what it offers."""

    id: str
    name: str
    city: str
    district: str
    address: str
    hours: str
    phone: str = ""
    services: tuple[str, ...] = field(default_factory=tuple)


class BranchDataError(ValueError):
    """The branch directory file is malformed; the message names file and line."""


def load_branches(path: Path) -> list[Branch]:
    """Read and validate `branches.yml`; raise `BranchDataError` with file:line on problems."""
    items, _duplicates = load_with_lines(path.read_text(encoding="utf-8"))
    if not isinstance(items, LineSequence):
        raise BranchDataError(f"{path}:1: 网点目录应为列表 (expected a YAML list of branches)")
    branches: list[Branch] = []
    seen: dict[str, int] = {}
    for data, line in zip(items, items.item_lines, strict=True):
        if not isinstance(data, dict):
            raise BranchDataError(f"{path}:{line}: 每个网点应为键值对 (expected a mapping)")
        missing = [key for key in REQUIRED_FIELDS if not str(data.get(key) or "").strip()]
        if missing:
            raise BranchDataError(f"{path}:{line}: 缺少字段 {', '.join(missing)}")
        branch_id = str(data["id"])
        if branch_id in seen:
            raise BranchDataError(f"{path}:{line}: 网点编号 {branch_id} 与第 {seen[branch_id]} 行重复")
        seen[branch_id] = line
        services = data.get("services") or []
        if not isinstance(services, list):
            raise BranchDataError(f"{path}:{line}: services 应为列表")
        branches.append(
            Branch(
                id=branch_id,
                name=str(data["name"]),
                city=str(data["city"]),
                district=str(data["district"]),
                address=str(data["address"]),
                hours=str(data["hours"]),
                phone=str(data.get("phone") or ""),
                services=tuple(str(service) for service in services),
            )
        )
    return branches


def _stem(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class BranchDirectory:
    """Search branches by city and district, accepting short forms (浦东 for 浦东新区)."""

    def __init__(self, branches: Iterable[Branch]) -> None:
        self._branches = list(branches)

    @property
    def cities(self) -> list[str]:
        """The cities covered, in directory order."""
        return list(dict.fromkeys(branch.city for branch in self._branches))

    def match_city(self, text: str | None) -> str | None:
        """The directory city named in `text` (full or without 市), if any."""
        if not text:
            return None
        for city in self.cities:
            if city in text or _stem(city, (_CITY_SUFFIX,)) in text:
                return city
        return None

    def match_district(self, text: str | None, city: str | None = None) -> str | None:
        """The directory district named in `text` (浦东 or 浦东新区), optionally within `city`; else the district
        of a branch whose name the text gives as a landmark (解放碑 → 渝中区, for 解放碑支行)."""
        if not text:
            return None
        candidates = [b for b in self._branches if city is None or b.city == city]
        for district in dict.fromkeys(b.district for b in candidates):
            if district in text or _stem(district, _DISTRICT_SUFFIXES) in text:
                return district
        for branch in candidates:
            landmark = _stem(branch.name, _BRANCH_SUFFIXES)
            if landmark != branch.name and len(landmark) >= 2 and landmark in text:
                return branch.district
        return None

    def match_place(self, text: str | None) -> tuple[str | None, str | None]:
        """The directory city and district named in `text`; a district alone implies its city (浦东 → 上海)."""
        city = self.match_city(text)
        district = self.match_district(text, city)
        return city or (self.city_of_district(district) if district else None), district

    def locate(self, text: str | None) -> tuple[str | None, str | None]:
        """The city and district named in `text`: a directory place, else any Chinese city (拉萨, 德阳).

        Cities outside the directory come with no district.
        """
        city, district = self.match_place(text)
        if city or not text:
            return city, district
        place = places.find_place(normalize(text))
        return (places.short_name(place.city), None) if place else (None, None)

    def nearest_city(self, city: str) -> str | None:
        """The directory city nearest to `city` in the same province, or None."""
        place = places.find_place(city)
        if place is None:
            return None
        covered = {name: places.province_of(name) or "" for name in self.cities}
        return places.nearest_covered(place, covered)

    def city_of_district(self, district: str) -> str | None:
        """The city a directory district belongs to."""
        return next((b.city for b in self._branches if b.district == district), None)

    def find(self, city: str, district: str | None = None, limit: int = 3) -> list[Branch]:
        """Branches in `city`, those in `district` first; at most `limit`."""
        in_city = [b for b in self._branches if b.city == city]
        if district:
            in_city.sort(key=lambda b: b.district != district)
        return in_city[:limit]

    def by_ids(self, ids: Iterable[str]) -> list[Branch]:
        """The branches with these ids, in the order given (unknown ids are skipped)."""
        known = {branch.id: branch for branch in self._branches}
        return [known[branch_id] for branch_id in ids if branch_id in known]

    def in_district(self, city: str, district: str) -> bool:
        """True when the directory has a branch in that district of that city."""
        return any(b.city == city and b.district == district for b in self._branches)
