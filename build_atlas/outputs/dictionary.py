"""What the 数据下载 page says: the downloads, first the whole data set in one zip, then each file with its size and
terms, and the dictionary of every column and property of every download, all from `vocabulary/dataset.py` (the
package and the workbook read the same declarations); then, for staff, the staff tables and the validation rules.
The English edition's page says the same in English (the English halves of the descriptions and rules, the
vocabulary's `.en`)."""

from __future__ import annotations

import re

from ..inputs.model import Atlas
from ..inputs.rules import RULES
from ..vocabulary.dataset import (
    BY_NAME,
    ENGLISH_RESOURCES,
    FROM_STAFF,
    RESOURCES,
    TERMS,
    TYPES,
    TYPES_EN,
    Field,
    Resource,
    chinese,
    english,
)
from ..vocabulary.schema import (
    CITIES,
    FEATURE_STATUSES,
    KINDS,
    MEASURE_STATUSES,
    NAME_FORMS,
    PHASES,
    RELATIONS,
    STAGES,
    TABLES,
    THEMES,
    VERBS,
    by_key,
)

STATUS = by_key(FEATURE_STATUSES)
# What the data page says when the build offered no files (a page rendered on its own: tests/golden.py, the bench).
NO_DOWNLOADS = {"sizes": {}, "rows": {}, "version": "", "zip": "", "xlsx": ""}
SHOWN_CODES = 12  # a field with more codes than this points to the code table instead of listing them


def size_label(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def values(field: Field, lang: str = "zh") -> str:
    if not field.codes:
        return ""
    if len(field.codes) > SHOWN_CODES:
        return "See the code table `codes.csv`." if lang == "en" else "取值见代码表 `codes.csv`。"
    if lang == "en":
        return "Values: " + ", ".join(f"`{term.key}` {term.en}" for term in field.codes) + "."
    return "取值：" + "、".join(f"`{term.key}` {term.zh}" for term in field.codes) + "。"


def resource_entry(resource: Resource, downloads: dict, lang: str = "zh") -> dict:
    en = lang == "en"
    title, description = ENGLISH_RESOURCES[resource.name] if en else (resource.title, resource.description)
    terms = TERMS[resource.terms]
    return {"file": resource.file, "title": title, "description": description, "title_zh": resource.title,
            "layer": resource.layer, "geometry": resource.geometry, "terms": terms.title_en if en else terms.title,
            "rows": downloads["rows"].get(resource.name, 0),
            "size": size_label(downloads["sizes"].get(resource.file, 0)),
            "fields": [{"name": f.name, "title": f.title, "type": (TYPES_EN if en else TYPES)[f.type],
                        "required": f.required, "doc": english(f.doc) if en else chinese(f.doc),
                        "codes": values(f, lang)} for f in resource.fields],
            "primary_key": resource.primary_key, "foreign_keys": resource.foreign_keys}


# The vocabulary's groups on the data page: (Chinese name, English name, the field that holds it, its terms)
GROUPS = (("城市", "Cities", "cities", CITIES), ("主题", "Themes", "themes", THEMES),
          ("要素类型", "Kinds of project", "kind", KINDS),
          ("项目进展", "Progress a document states", "statements.status", FEATURE_STATUSES),
          ("落实状态", "Implementation status", "measures.status", MEASURE_STATUSES),
          ("条款与项目", "Clause and project", "statements.relation", RELATIONS))


def vocabulary(lang: str = "zh") -> list[dict]:
    """The codes readers meet, by group; in Chinese also the verb table and the name forms, which work on the
    documents' Chinese wording."""
    en = lang == "en"
    vocab = [{"group": english_name if en else zh_name, "field": field, "key": t.key, "zh": t.zh, "en": t.en}
             for zh_name, english_name, field, terms in GROUPS for t in terms]
    vocab += [{"group": "Stages of progress" if en else "进展阶段", "field": "progress.stage", "key": stage.key,
               "zh": stage.note, "en": stage.en} for stage in STAGES]
    vocab += [{"group": "Phase on the maps" if en else "地图上的进展", "field": "phase", "key": phase.key,
               "zh": f"{phase.zh}：{phase.note}", "en": phase.en} for phase in PHASES]
    if en:
        return vocab
    vocab += [{"group": "动词表（先列出的先匹配）", "field": "statements.status", "key": verb.phrase,
               "zh": STATUS[verb.status].zh, "en": ""} for verb in VERBS]
    vocab += [{"group": "名称的简写（核对引文是否写出项目名称）", "field": "statements.quote", "key": form.long,
               "zh": form.short + (f"（{form.note}）" if form.note else ""), "en": ""} for form in NAME_FORMS]
    return vocab


RULE_HALVES = re.compile(r"\s?/\s(?=[a-z])")  # "中文 / English": the first slash before a lower-case English word


def rule_text(text: str, lang: str = "zh") -> str:
    """A rule's summary in one language: RULES hold `中文 / English`."""
    chinese_half, english_half = RULE_HALVES.split(text, maxsplit=1)
    return english_half.strip() if lang == "en" else chinese_half.strip()


def data_context(atlas: Atlas, downloads: dict, lang: str = "zh") -> dict:
    """`downloads`: {"sizes": {file: bytes}, "rows": {resource: rows or features}, "version", "zip", "xlsx"}, as the
    build made them (builds.WholeBuild.data_files). `lang`: the edition whose page it is."""
    en = lang == "en"
    published_as = {table: BY_NAME[resource] for resource, table in FROM_STAFF.items()}
    staff = [{"name": name, "title": published_as[name].title,
              "columns": [{"name": c.name, "required": c.required, "doc": english(c.doc) if en else chinese(c.doc)}
                          for c in columns]} for name, columns in TABLES.items()]
    terms = [{"title": t.title_en if en else t.title, "attribution": t.attribution_en if en else t.attribution,
              "notes": t.notes_en if en else t.notes, "files": [r.file for r in RESOURCES if r.terms == key]}
             for key, t in TERMS.items() if key != "atlas"]
    atlas_terms = TERMS["atlas"]
    return {"resources": [resource_entry(r, downloads, lang) for r in RESOURCES], "terms": terms,
            "atlas_terms": {"title": atlas_terms.title_en, "notes": atlas_terms.notes_en} if en else atlas_terms,
            "zip": {"file": downloads["zip"]}, "xlsx": {"file": downloads["xlsx"]},
            "version": downloads["version"], "staff": staff, "vocab": vocabulary(lang),
            "rules": [(code, rule_text(text, lang)) for code, text in RULES.items()],
            "measure_count": len(atlas.measures), "feature_count": len(atlas.features),
            "unlocated_count": len(atlas.features) - len(atlas.located)}
