"""Guesses for the columns staff judge: title, themes, cities, implements and features.

Every guess is made on the clause in simplified characters and is meant to be reviewed, not trusted.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from pathlib import Path

from ...vocabulary.schema import CITIES
from .read import simplified

# The theme keyword table (README, "Adding a document", lists it). A theme is proposed when its words occur
# at least twice in the clause (a hit in the title counts three times) and scores at least a third of the best
# theme, or when it is the best theme; at most two themes, strongest first.
THEME_KEYWORDS = {
    "transport": ("铁路", "高铁", "城际", "动车", "公路", "高速", "机场", "航空", "航线", "交通", "公交", "轨道",
                  "地铁", "客运", "干线", "快速路", "路网", "停车", "临空", "班线", "通航", "班列", "枢纽"),
    "industry": ("产业", "园区", "制造", "集群", "企业", "工业", "招商", "化工", "装备", "新材料", "稀土", "乳业",
                 "总部", "加工", "产能", "开发区"),
    "innovation": ("创新", "科技", "研发", "实验室", "人才", "高新区", "技术", "成果转化", "高校", "科研", "院所"),
    "digital": ("数据", "算力", "云计算", "智慧", "信息化", "5G", "互联网", "数字", "一网通办", "云谷", "信息平台",
                "网络", "电信", "通信", "线上"),
    "energy": ("能源", "电力", "电网", "新能源", "风电", "光伏", "氢", "储能", "水利", "用水", "煤", "天然气",
               "热电", "抽水蓄能", "供热", "充电", "特高压", "用能", "能耗", "用电", "水资源", "供水", "电站"),
    "ecology": ("生态", "环境", "污染", "低碳", "黄河", "林草", "森林", "草原", "造林", "荒漠", "沙漠", "防沙",
                "水土", "湿地", "减排", "碳", "环保", "大气", "污水", "固废", "河道", "节能"),
    "opening": ("开放", "口岸", "中欧班列", "保税", "跨境", "外贸", "进出口", "对外", "物流", "一带一路", "外资",
                "会展", "博览会", "海关", "外向型", "进口", "出口", "京津冀", "区域合作"),
    "culture-tourism": ("文化", "旅游", "景区", "文物", "遗址", "博物馆", "体育", "文旅", "演出", "非遗"),
    "public-services": ("教育", "医疗", "养老", "就业", "社保", "社会保障", "卫生", "医院", "学校", "住房",
                        "户籍", "公共服务", "健康", "医保", "托育", "消费", "急救", "民生", "社会治理", "平安"),
    "urban-rural": ("城镇", "城市更新", "城乡", "县城", "乡村", "农牧", "农业", "农畜产品", "人口", "用地",
                    "土地", "小城镇", "棚户区", "老旧小区", "宜居", "城市功能", "城市群", "城市规划", "副中心",
                    "牧场", "种业"),
    "governance": ("机制", "领导小组", "协调", "联席会议", "营商环境", "放管服", "审批", "政务服务", "市场", "金融",
                   "财政", "税", "信用", "监管", "统计", "编制", "考核", "政策", "资金", "工作组", "互认",
                   "改革", "权限", "体制", "基层治理", "融资", "债", "补助", "转移支付", "组织领导"),
}
GROUPS = (  # printed names for several cities at once, longest first
    ("呼包鄂乌", ("hohhot", "baotou", "ordos", "ulanqab")), ("四市", ("hohhot", "baotou", "ordos", "ulanqab")),
    ("其他三市", ("hohhot", "baotou", "ordos", "ulanqab")), ("四地", ("hohhot", "baotou", "ordos", "ulanqab")),
    ("呼包鄂", ("hohhot", "baotou", "ordos")), ("包鄂乌", ("baotou", "ordos", "ulanqab")),
    ("乌大张", ("ulanqab",)), ("包鄂", ("baotou", "ordos")), ("呼包", ("hohhot", "baotou")),
    ("呼鄂", ("hohhot", "ordos")),
)
CITY_NAMES = {"hohhot": ("呼和浩特", "呼市", "首府"), "baotou": ("包头",), "ordos": ("鄂尔多斯",),
              "ulanqab": ("乌兰察布",)}

def places(root: Path) -> dict[str, str]:
    """Place name → city key: the four cities, their 旗县区 (full and usual short names), the gazetteer."""
    names = {name: key for key, words in CITY_NAMES.items() for name in words}
    counties = json.loads((root / "geodata/boundaries/counties.geojson").read_text(encoding="utf-8"))
    for feature in counties["features"]:
        name, city = feature["properties"]["name_zh"], feature["properties"]["city"]
        names[name] = city
    short = {"托克托": "hohhot", "清水河": "hohhot", "和林格尔": "hohhot", "和林": "hohhot", "武川": "hohhot",
             "土左": "hohhot", "赛罕": "hohhot", "玉泉": "hohhot", "回民区": "hohhot", "新城区": "hohhot",
             "土右": "baotou", "固阳": "baotou", "达茂": "baotou", "白云鄂博": "baotou", "昆都仑": "baotou",
             "九原": "baotou", "石拐": "baotou", "青山区": "baotou", "东河": "baotou", "满都拉": "baotou",
             "达拉特": "ordos", "准格尔": "ordos", "伊金霍洛": "ordos", "杭锦": "ordos", "乌审": "ordos",
             "鄂托克": "ordos", "康巴什": "ordos", "东胜": "ordos", "库布其": "ordos",
             "集宁": "ulanqab", "丰镇": "ulanqab", "卓资": "ulanqab", "化德": "ulanqab", "商都": "ulanqab",
             "兴和": "ulanqab", "凉城": "ulanqab", "察右前旗": "ulanqab", "察右中旗": "ulanqab",
             "察右后旗": "ulanqab", "四子王": "ulanqab"}
    names.update(short)
    prefix_city = {c.note[:4]: c.key for c in CITIES}
    with open(root / "geodata/gazetteer.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            city = prefix_city.get(row["adcode"][:4])
            if city and len(row["name_zh"]) >= 2 and row["name_zh"] not in CITY_NAMES:
                names.setdefault(row["name_zh"], city)
    return names


def cities(plain: str, names: dict[str, str], home: str = "") -> list[str]:
    """The README rule: the home city of a city document, every city named, or all four when none is."""
    found = {home} if home else set()
    rest = plain
    for word, keys in GROUPS:
        if word in rest:
            found.update(keys)
            rest = rest.replace(word, "　")
    for name in sorted(names, key=len, reverse=True):
        if name in rest:
            found.add(names[name])
            rest = rest.replace(name, "　")
    if not found:
        found = {c.key for c in CITIES}
    return [c.key for c in CITIES if c.key in found]


def themes(plain: str, title: str) -> list[str]:
    scores = Counter()
    for theme, words in THEME_KEYWORDS.items():
        for word in words:
            scores[theme] += plain.count(word) + 3 * title.count(word)
    ranked = [theme for theme, score in scores.most_common() if score > 0]
    chosen = [theme for theme in ranked if scores[theme] >= max(2, scores[ranked[0]] / 3)] if ranked else []
    return (chosen or ranked[:1])[:2]


def title(text: str, lead: str = "") -> str:
    """The lead phrase (up to the first 。，；：), without asides like （以下简称…）, at most 20 characters."""
    phrase = lead or re.split(r"[。，,；;：:]", text, maxsplit=1)[0]
    phrase = re.sub(r"[（(]以下简称[^）)]*[）)]", "", simplified(phrase)).lstrip("—").strip()
    return phrase[:20]


def bigrams(text: str) -> Counter:
    plain = re.sub(r"[^\w]", "", text)
    return Counter(plain[i:i + 2] for i in range(len(plain) - 1))


def similarity(a: Counter, b: Counter) -> float:
    dot = sum(count * b[gram] for gram, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def most_like(plain: str, candidates: list[tuple[str, str]], floor: float = 0.3) -> str:
    """The id of the candidate (id, simplified text) most like the clause, when similar enough."""
    grams = bigrams(plain)
    best = max(((similarity(grams, bigrams(text)), key) for key, text in candidates), default=(0.0, ""))
    return best[1] if best[0] >= floor else ""


def feature_names(root: Path) -> list[tuple[str, str]]:
    """(name, feature id): names from features.csv (also without their bracketed part), aliases if present."""
    names = []
    with open(root / "geodata/features.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            full = row["name_zh"]
            names.append((full, row["id"]))
            short = re.sub(r"[（(][^）)]*[）)]", "", full)
            if short != full and len(short) >= 4:
                names.append((short, row["id"]))
            names += [(inner, row["id"]) for inner in re.findall(r"[（(]([^）)]{6,})[）)]", full)]
    names += aliases(root)
    # longest first, so that a name inside a longer one is not taken for it; then by name and id, so that the order
    # (and which of two equally long names claims a stretch of text) does not depend on the set's hash order
    return sorted(set(names), key=lambda pair: (-len(pair[0]), pair))


def aliases(root: Path) -> list[tuple[str, str]]:
    """geodata/aliases.csv (added by the search work) when it exists: a feature id column and an alias column."""
    path = root / "geodata/aliases.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return []
    fid = next((c for c in ("feature", "id", "feature_id") if c in rows[0]), None)
    alias = next((c for c in ("alias", "aliases", "name", "name_zh", "term") if c in rows[0]), None)
    if not fid or not alias:
        return []
    return [(name.strip(), row[fid]) for row in rows for name in re.split(r"[;；]", row[alias] or "")
            if len(name.strip()) >= 2]


def features(plain: str, names: list[tuple[str, str]]) -> list[str]:
    """Feature ids whose name or alias occurs in the clause, in the order the clause names them."""
    found: dict[str, int] = {}
    rest = plain
    for name, fid in names:
        position = rest.find(name)
        if position >= 0:
            found[fid] = min(found.get(fid, position), position)
            rest = rest.replace(name, "　" * len(name))
    return sorted(found, key=found.get)
