"""Chinese place names in customer messages: which province, city and district a message names.

This module owns place recognition against the national gazetteer shipped by `cpca` (every province,
prefecture and county-level division, with coordinates), and the choice of the covered city nearest to
a recognised place. cpca's Aho-Corasick matcher finds the candidate names; a match only counts when
jieba's segmentation agrees that it is a word of the message (最新余额 does not name 新余, 三明治 not
三明), so that common words that happen to be place names do not turn into places. `place_mentions` gives
every city and district named with its characters, for the NLU pipeline's entities.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from cpca import AddrInfo

_PROVINCE, _CITY, _COUNTY = 0, 1, 2

# Division names that are ordinary words in customer messages (合作机构, 东方财富, 纸白银, 祝您安康,
# 永安保险, 安宁疗护, 城区网点): they name a place only with their suffix (合作市) or after the
# province or city they belong to (阳泉城区).
_COMMON_WORDS = frozenset(
    {"合作", "东方", "白银", "来宾", "安康", "永安", "江山", "安宁", "城区", "郊区", "矿区", "东区", "西区"}
)
# Entries of the gazetteer that group divisions instead of naming a place.
_PSEUDO_DIVISIONS = frozenset({"市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# A city name followed by one of these is a street (南京路, 延安西路, 北京大街), a time zone (北京时间) or a city
# commercial bank (宁波银行, 北京农商行; not 北京银行卡).
_NOT_THE_CITY = re.compile(r"[东西南北中]?(?:路|街|大街|大道|巷|胡同)|时间|银行(?!卡)|农商行|农商银行")
# Names that are ordinary words in these phrases: 中山 is Sun Yat-sen in 中山大学, 中山公园, 中山医院 and 中山装;
# 开封 is "unsealed" after 没, 未, 已 or 拆 (「新卡还没开封」).
_NOT_A_PLACE = re.compile(r"中山(?=大学|公园|医院|装|陵|纪念)|(?<=[没未已拆])开封")
# A district named without its city: among same-named districts prefer the one in a municipality, then in a
# provincial capital (adcode ..01..), then in a city specifically designated in the state plan; these settle
# the ties left between two capitals, the way cpca's `umap` option does.
_PLAN_CITIES = frozenset({"2102", "3302", "3502", "3702", "4403"})
_UMAP = {
    "白云区": "440111",
    "城关区": "620102",
    "鼓楼区": "320106",
    "西湖区": "330106",
    "新城区": "610102",
    "长安区": "610116",
}
_SUFFIXES = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|新区|林区|地区|省|市|区|县|盟|旗)$")
# jieba's tags for place names (ns) and organisation names (nt).
_PLACE_TAGS = frozenset({"ns", "nt"})
_EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """A place named in a message, with cpca's full names (广东省 / 深圳市 / 南山区).

    For municipalities and the special administrative regions the city is the province itself
    (北京市 / 北京市 / 朝阳区); county-level cities directly under a province are the city (湖北省 / 仙桃市).
    """

    province: str
    city: str
    district: str | None


@dataclass(frozen=True)
class PlaceMention:
    """A city or district named in a message: its characters, its kind and the name that a branch search takes.

    Cities go by short name (杭州, 北京, 延边) unless that is a common word (合作市), districts by full name (南山区
    for 「南山」, 浦东新区, 忠县).
    """

    start: int
    end: int
    kind: Literal["city", "district"]
    name: str


class _Match(NamedTuple):
    start: int
    end: int
    key: str
    infos: list[AddrInfo]


class _Named(NamedTuple):
    """One division of a place chain and the characters that name it."""

    start: int
    end: int
    info: AddrInfo


class _Words:
    """jieba's segmentation of a message: where a place name may start and end.

    A name must sit on word edges (新余 in 最新|余额 does not), except inside a word that jieba tags as a
    place or organisation name, which may begin with a city (苏州工业园区, 上海浦东, 北京大学).
    """

    def __init__(self, tagged: list[tuple[str, str]]) -> None:
        self.edges = {0}
        self.place_words: list[tuple[int, int]] = []
        offset = 0
        for word, tag in tagged:
            if tag in _PLACE_TAGS:
                self.place_words.append((offset, offset + len(word)))
            offset += len(word)
            self.edges.add(offset)

    def holds(self, start: int, end: int) -> bool:
        """Whether the characters from `start` to `end` can be a place name of their own."""
        return self._edge(start) and self._edge(end)

    def _edge(self, offset: int) -> bool:
        return offset in self.edges or any(first < offset < last for first, last in self.place_words)


class _Gazetteer:
    """cpca's matcher and divisions, indexed for recognising places and locating cities."""

    def __init__(self) -> None:
        import cpca  # importing cpca reads its gazetteer and builds the matcher
        import rjieba

        self.automaton: Any = cpca.matcher.ac
        self.segmenter = rjieba.Jieba()
        divisions = list(cpca.ad_2_addr_dict.values())
        self.by_adcode: dict[str, AddrInfo] = {info.adcode: info for info in divisions}
        self.by_name: dict[str, list[AddrInfo]] = {}
        for info in divisions:
            self.by_name.setdefault(info.name, []).append(info)
        with_prefectures = {
            info.adcode[:2] for info in divisions if info.rank == _CITY and info.name not in {"市辖区", "县"}
        }
        # Municipalities, Hong Kong, Macao and Taiwan: no prefectures, the province is the city.
        self.city_provinces = {info.adcode[:2] for info in divisions if info.rank == _PROVINCE} - with_prefectures
        self.districts: dict[str, list[tuple[str, AddrInfo]]] = {}
        # cpca knows autonomous prefectures and regions only by full name: add 延边, 甘南, 阿里 (地区).
        self.prefectures: dict[str, list[AddrInfo]] = {}
        cities: list[AddrInfo] = []
        for info in divisions:
            short = short_name(info.name)
            if info.name in _PSEUDO_DIVISIONS:
                continue
            if info.rank == _COUNTY and short != info.name:
                self.districts.setdefault(self._parent_key(info), []).append((short, info))
            if info.rank == _CITY and short != info.name and not self.automaton.exists(short):
                self.prefectures.setdefault(short, []).append(info)
            if self._is_city(info):
                cities.append(info)
        self.prefecture_names = re.compile("|".join(sorted(self.prefectures, key=len, reverse=True)))
        self.cities_by_short: dict[str, list[AddrInfo]] = {}
        for info in sorted(cities, key=lambda city: city.rank):
            self.cities_by_short.setdefault(short_name(info.name), []).append(info)

    def _parent_key(self, info: AddrInfo) -> str:
        """The adcode prefix of the city whose districts include `info`."""
        return info.adcode[:2] if info.adcode[:2] in self.city_provinces else info.adcode[:4]

    def _is_city(self, info: AddrInfo) -> bool:
        """Whether `info` is a city: a municipality, a prefecture or a county-level city."""
        if info.adcode[:2] in self.city_provinces:
            return info.rank == _PROVINCE
        return info.rank == _CITY or (info.rank == _COUNTY and info.name.endswith("市"))

    def names_city(self, info: AddrInfo) -> bool:
        """Whether a place chain ending at `info` already names a city."""
        return info.rank > _PROVINCE or info.adcode[:2] in self.city_provinces

    def words(self, text: str) -> _Words:
        """jieba's segmentation of `text` (dictionary only, no HMM guesses)."""
        return _Words(self.segmenter.tag(text, False))

    def matches(self, text: str, words: _Words) -> list[_Match]:
        """Non-overlapping gazetteer names that are words of `text`, leftmost-longest first."""
        found = [_Match(last + 1 - len(key), last + 1, key, infos) for last, (key, infos) in self.automaton.iter(text)]
        found += [
            _Match(hit.start(), hit.end(), hit.group(), self.prefectures[hit.group()])
            for hit in self.prefecture_names.finditer(text)
        ]
        found = [
            match
            for match in found
            if len(match.key) > 1
            and match.key not in _PSEUDO_DIVISIONS
            and words.holds(match.start, match.end)
            and not _NOT_THE_CITY.match(text, match.end)
            and not _names_no_place(text, match)
        ]
        found.sort(key=lambda match: (match.start, -match.end))
        chosen: list[_Match] = []
        for match in found:
            if not chosen or match.start >= chosen[-1].end:
                chosen.append(match)
        return chosen

    def preferred(self, infos: list[AddrInfo]) -> AddrInfo:
        """The most prominent of same-named divisions (朝阳区 alone is Beijing's)."""

        def prominence(info: AddrInfo) -> int:
            if _UMAP.get(info.name) == info.adcode or info.adcode[:2] in self.city_provinces:
                return 0
            if info.adcode[2:4] == "01":
                return 1
            return 2 if info.adcode[:4] in _PLAN_CITIES else 3

        return min(infos, key=prominence)

    def district_after(self, city: AddrInfo, text: str, start: int, words: _Words) -> _Named | None:
        """The first district of `city` named by its short form (南山 for 南山区) in `text` after `start`."""
        best: _Named | None = None
        for short, info in self.districts.get(self._parent_key(city), []):
            at = text.find(short, start)
            if at >= 0 and words.holds(at, at + len(short)) and (best is None or at < best.start):
                best = _Named(at, at + len(short), info)
        return best

    def chains(self, text: str, words: _Words) -> list[list[_Named]]:
        """The places named in `text`, each as its chain of divisions from the widest (广东 / 深圳 / 南山区).

        A division of the last one named extends the chain; any other starts a new chain, except common words
        (合作, 城区), which only extend one. A chain ending at a city takes the first of its districts named by
        short form after it (深圳南山, 北京朝阳).
        """
        chains: list[list[_Named]] = []
        for match in self.matches(text, words):
            last = chains[-1][-1].info if chains else None
            info = None
            if last is not None:
                info = next((i for i in match.infos if i.rank > last.rank and i.belong_to(last)), None)
            if info is not None:
                chains[-1].append(_Named(match.start, match.end, info))
            elif match.key not in _COMMON_WORDS:
                chains.append([_Named(match.start, match.end, self.preferred(match.infos))])
        for chain in chains:
            last = chain[-1]
            if last.info.rank < _COUNTY and self.names_city(last.info):
                district = self.district_after(last.info, text, last.end, words)
                if district is not None:
                    chain.append(district)
        return chains

    def mention(self, named: _Named, before: list[_Named]) -> PlaceMention | None:
        """What `named`, after the divisions `before` it in its chain, is: a city, a district or (a province) nothing.

        A county-level city is a city of its own unless a city is named before it (「昆山」, 「苏州昆山」).
        """
        info = named.info
        if info.rank == _PROVINCE and info.adcode[:2] not in self.city_provinces:
            return None
        city_before = any(self.names_city(other.info) for other in before)
        if info.rank < _COUNTY or (info.name.endswith("市") and not city_before):
            short = short_name(info.name)
            return PlaceMention(named.start, named.end, "city", info.name if short in _COMMON_WORDS else short)
        return PlaceMention(named.start, named.end, "district", info.name)

    def place(self, info: AddrInfo) -> Place | None:
        """The place that the division `info` stands for; None for a province that is not a city."""
        province = self.by_adcode[info.adcode[:2] + "0000"].name
        if info.adcode[:2] in self.city_provinces:
            return Place(province, province, info.name if info.rank == _COUNTY else None)
        if info.rank == _PROVINCE:
            return None
        if info.rank == _CITY:
            return Place(province, info.name, None)
        city = self.by_adcode.get(info.adcode[:4] + "00")
        if city is None or city.name in _PSEUDO_DIVISIONS:
            return Place(province, info.name, None)
        return Place(province, city.name, info.name)

    def locate(self, name: str, province: str) -> AddrInfo | None:
        """The division called `name` (full name) in `province`."""
        return next((info for info in self.by_name.get(name, []) if self._in_province(info, province)), None)

    def city(self, short: str, province: str | None = None) -> AddrInfo | None:
        """The city with this short name, in `province` when given; municipalities, then prefectures first."""
        candidates = self.cities_by_short.get(short, [])
        return next((info for info in candidates if province is None or self._in_province(info, province)), None)

    def _in_province(self, info: AddrInfo, province: str) -> bool:
        return self.by_adcode[info.adcode[:2] + "0000"].name == province


@functools.cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()


def _names_no_place(text: str, match: _Match) -> bool:
    """Whether the match is an ordinary word in its phrase (中山 in 中山大学)."""
    hit = _NOT_A_PLACE.match(text, match.start)
    return hit is not None and hit.end() == match.end


@functools.cache
def _ethnic_autonomy() -> re.Pattern[str]:
    """Matches an autonomous-area suffix with its peoples (壮族自治区, 蒙古族藏族自治州, 哈萨克自治县)."""
    text = resources.files("cpca.resources").joinpath("56_nations.csv").read_text(encoding="utf-8")
    peoples = sorted(
        (line.strip().removesuffix("族") for line in text.splitlines() if line.strip()), key=len, reverse=True
    )
    alternatives = "|".join(re.escape(people) for people in peoples)
    return re.compile(rf"(?:(?:{alternatives})族?)+自治(?:区|州|县|旗)$")


def short_name(name: str) -> str:
    """The name without its administrative suffix: 深圳市 → 深圳, 浦东新区 → 浦东, 广西壮族自治区 → 广西.

    Names that would be left with one character keep their suffix (忠县, 城区).
    """
    for pattern in (_ethnic_autonomy(), _SUFFIXES):
        stem = pattern.sub("", name, count=1)
        if stem != name and len(stem) >= 2:
            return stem
    return name


def find_place(text: str) -> Place | None:
    """The first city-level place named in `text` (「我在昆明」, 「深圳南山」, 「浦东新区」), or None.

    A province alone names no city (「广东有网点吗」 is None) unless it is a municipality; a later city still
    counts (「我是广东人，在杭州」 is 杭州). Text is expected normalised (Simplified, half-width).
    """
    gazetteer = _gazetteer()
    chains = gazetteer.chains(text, gazetteer.words(text))
    chain = next((chain for chain in chains if gazetteer.names_city(chain[-1].info)), None)
    return gazetteer.place(chain[-1].info) if chain else None


def place_mentions(text: str) -> list[PlaceMention]:
    """Every city and district named in `text`, in order: 「深圳市南山区」 names 深圳 and 南山区, 「北京朝阳」 北京 and
    朝阳区, 「我在昆明想去拉萨」 昆明 and 拉萨; a province alone names nothing.

    Where two readings overlap, the earlier place's wins (朝阳 after 北京 is Beijing's district, not the city in
    Liaoning). Text is expected normalised, as for `find_place`.
    """
    gazetteer = _gazetteer()
    words = gazetteer.words(text)
    mentions: list[PlaceMention] = []
    for chain in gazetteer.chains(text, words):
        for index, named in enumerate(chain):
            mention = gazetteer.mention(named, chain[:index])
            if mention is not None and not any(
                other.start < mention.end and mention.start < other.end for other in mentions
            ):
                mentions.append(mention)
    return sorted(mentions, key=lambda mention: mention.start)


def province_of(city: str) -> str | None:
    """The province of a city given by short or full name (深圳 → 广东省, 北京 → 北京市), or None."""
    gazetteer = _gazetteer()
    info = gazetteer.city(short_name(city))
    return None if info is None else gazetteer.by_adcode[info.adcode[:2] + "0000"].name


def nearest_covered(place: Place, covered: Mapping[str, str]) -> str | None:
    """The covered city in the province of `place`, the nearest one when several; None when none.

    Args:
        place: A place from `find_place`.
        covered: Short names of the covered cities mapped to their provinces ({"深圳": "广东省"}).
    """
    candidates = [city for city, province in covered.items() if province == place.province]
    if short_name(place.city) in candidates:
        return short_name(place.city)
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    gazetteer = _gazetteer()
    origin = gazetteer.locate(place.district or place.city, place.province)
    if origin is None or not origin.longitude:
        return candidates[0]

    def distance(city: str) -> float:
        info = gazetteer.city(city, place.province)
        return _distance_km(origin, info) if info is not None and info.longitude else math.inf

    return min(candidates, key=distance)


def _distance_km(a: AddrInfo, b: AddrInfo) -> float:
    """Great-circle distance between two divisions' coordinates."""
    lat1, lat2 = math.radians(float(a.latitude)), math.radians(float(b.latitude))
    dlat, dlon = lat2 - lat1, math.radians(float(b.longitude) - float(a.longitude))
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))
