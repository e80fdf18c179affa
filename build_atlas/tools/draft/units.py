"""The trailing bracket of a clause: responsible units and deadline, in the schema's format.

`（责任单位：A、B，C；完成时限：2024年12月）` → units `A;B;C`, deadline `2024-12`. Units are kept as printed;
a suffix shared by a printed list is distributed (`托克托县、清水河县人民政府` → both 人民政府); a role other
than lead/responsible stays on its unit as a full-width bracket suffix (`市有关部门（配合）`), as the schema's `units`
column says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .read import simplified

# Field labels, simplified; traditional text is matched through its simplified shadow.
LEAD_LABELS = ("责任单位", "牵头单位", "责任部门", "牵头部门", "主责单位", "负责单位", "承办单位", "实施单位")
ROLE_LABELS = {"配合单位": "配合", "配合部门": "配合", "协办单位": "协办", "参与单位": "参与", "协助单位": "协助"}
DEADLINE_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限")
LABEL = re.compile("(" + "|".join((*LEAD_LABELS, *ROLE_LABELS, *DEADLINE_LABELS)) + ")[:：]")

# Role words printed after a unit. A plain lead/responsible role is the default and is dropped; any other role,
# including a division of duties (按职责分工负责, 按照职责分别牵头), is kept, as printed, in a full-width bracket.
DROPPED_ROLES = re.compile(r"(?:牵头负责|负责|牵头)$")
KEPT_ROLES = re.compile(r"(?:按照?职责分工负责|按照?职责负责|按照?职责分别牵头|按照?职责分别负责"
                        r"|配合|协助|协办|参与|指导)$")
NOTE = re.compile(r"[，,。；;]?\s*(?:下同|以下各项).*$")
GROUP_SPLIT = re.compile(r"[，,；;]")
AREA_END = "县旗区市盟"
ZONE_END = re.compile(r"(?:开发区|新区|园区|示范区|保税区|试验区|实验区|合作区|功能区|景区|片区|城区|产业区)$")
UNIT_END = re.compile(r"(?:局|委|办|厅|府|会|部|司|中心|院|所|队|处|室|站|组|行|社|集团|公司|海关|分局|单位|部门|机关|"
                      r"政府|管委会|协会|银行|大学|学校|小组|联合会)$")


@dataclass(frozen=True)
class Tail:
    units: list[str]
    legacy_units: list[str]  # the same without distributing suffixes or keeping roles (the old format)
    deadline: str
    printed_deadline: str


def split_tail(text: str) -> tuple[str, str | None]:
    """The clause without its trailing bracket, and the bracket's content when it names units or a deadline."""
    body = text.rstrip()
    if not body or body[-1] not in "）)":
        return text, None
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        char = body[index]
        if char in "）)":
            depth += 1
        elif char in "（(":
            depth -= 1
            if depth == 0:
                content = body[index + 1:-1]
                if is_tail(content):
                    return body[:index].rstrip(), content
                return text, None
    return text, None


def is_tail(content: str) -> bool:
    plain = simplified(content)
    if LABEL.search(plain):
        return True
    items = [item for item in re.split(r"[、，,；;]", NOTE.sub("", plain)) if item.strip()]
    unitlike = [item for item in items if UNIT_END.search(strip_role(item.strip().removesuffix("等"))[0])]
    return bool(items) and len(unitlike) * 2 > len(items)


def strip_role(item: str) -> tuple[str, str, bool]:
    """(unit, printed role, keep?) for one printed item; the role is matched in simplified characters."""
    plain = simplified(item)
    for pattern, keep in ((KEPT_ROLES, True), (DROPPED_ROLES, False)):
        match = pattern.search(plain)
        if match and match.start() > 0:
            return item[:match.start()], item[match.start():], keep
    return item, "", False


def parse_tail(content: str) -> Tail:
    """Units and deadline from a trailing bracket's content."""
    plain = simplified(content)
    fields = fields_of(content, plain)
    units: list[str] = []
    legacy: list[str] = []
    printed = ""
    for label, value in fields:
        if label in DEADLINE_LABELS:
            printed = value.strip(" ，,；;。")
            continue
        role = ROLE_LABELS.get(label, "")
        units += parse_units(value, role=role)
        legacy += parse_units(value, role=role, legacy=True)
    return Tail(units, legacy, normalise_deadline(printed), printed)


def fields_of(content: str, plain: str) -> list[tuple[str, str]]:
    """[(label, value)] in order; text before any label counts as lead units."""
    marks = list(LABEL.finditer(plain))
    if not marks:
        return [("", content)]
    fields = []
    if content[:marks[0].start()].strip(" ，,；;"):
        fields.append(("", content[:marks[0].start()]))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(content)
        fields.append((mark.group(1), content[mark.end():end].strip(" ，,；;")))
    return fields


def parse_units(value: str, role: str = "", legacy: bool = False) -> list[str]:
    """`A、B县、C县人民政府，D等` → [A, B县人民政府, C县人民政府, D] (legacy: as split, roles dropped)."""
    value = NOTE.sub("", value)
    units = []
    for group in GROUP_SPLIT.split(value):
        items = [item.strip() for item in group.split("、") if item.strip()]
        parsed = []
        for item in items:
            name, printed_role, keep = strip_role(item.removesuffix("等").strip())
            name = name.removesuffix("等").strip()
            if not name:
                continue
            parsed.append((name, printed_role if keep else role))
        if not legacy:
            parsed = distribute(parsed)
        units += [name + (f"（{r}）" if r and not legacy else "") for name, r in parsed]
    return units


def distribute(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Give bare place names the suffix of the next item: `托克托县、清水河县人民政府` → 人民政府 for both."""
    out = list(items)
    for index in range(len(out) - 2, -1, -1):
        name, role = out[index]
        plain, following = simplified(name), simplified(out[index + 1][0])
        if ZONE_END.search(plain):  # `经济技术开发区、和林格尔新区管委会`: the zone's unit is its 管委会 too
            if following.endswith("管委会") and ZONE_END.search(following.removesuffix("管委会")):
                out[index] = (name + out[index + 1][0][-3:], role or out[index + 1][1])
            continue
        if plain[-1] not in AREA_END or UNIT_END.search(plain):
            continue
        suffix = shared_suffix(out[index + 1][0])
        if suffix:
            out[index] = (name + suffix, role or out[index + 1][1])
    return out


def shared_suffix(name: str) -> str:
    """The part of `清水河县人民政府` after its place name (`人民政府`), or ''."""
    plain = simplified(name)
    for index in range(len(plain) - 2, 0, -1):
        if plain[index] in AREA_END and UNIT_END.search(plain[index + 1:]):
            return name[index + 1:]
    return ""


DEADLINE_WORDS = {"持续推进": "ongoing", "长期坚持": "long-term", "长期": "long-term", "持续": "ongoing",
                  "常态化推进": "ongoing", "每年": "ongoing", "长期推进": "long-term"}
QUARTER_END = {"一": "03", "1": "03", "二": "06", "2": "06", "三": "09", "3": "09", "四": "12", "4": "12"}


def normalise_deadline(printed: str) -> str:
    """`2024年12月`/`2024年底前`/`2024年6月底` → YYYY-MM; 持续推进 → ongoing; 长期坚持 → long-term; else ''."""
    plain = simplified(printed).replace(" ", "")
    if not plain:
        return ""
    for word, value in DEADLINE_WORDS.items():
        if plain.startswith(word):
            return value
    years = re.findall(r"(20\d\d)\s*年", plain)
    if not years:
        return ""
    year = years[-1]
    tail = plain[plain.rfind(year + "年") + 5:]
    month = re.match(r"(\d{1,2})月", tail)
    if month and 1 <= int(month.group(1)) <= 12:
        return f"{year}-{int(month.group(1)):02d}"
    quarter = re.match(r"第?([一二三四1234])季度", tail)
    if quarter:
        return f"{year}-{QUARTER_END[quarter.group(1)]}"
    if tail.startswith("上半年"):
        return f"{year}-06"
    return f"{year}-12"  # 2024年, 2024年底前, 2024年年底, 2024年下半年
