"""What the 数据下载 page says: the downloads, first the whole data set in one zip, then each file with its size and
terms, and the dictionary of every column and property of every download, all from `vocabulary/dataset.py` (the
package and the workbook read the same declarations); then, for staff, the staff tables and the validation rules."""

from __future__ import annotations

from ..inputs.model import Atlas
from ..inputs.rules import RULES
from ..vocabulary.dataset import RESOURCES, TERMS, TYPES, Field, Resource, chinese
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


def values(field: Field) -> str:
    if not field.codes:
        return ""
    if len(field.codes) > SHOWN_CODES:
        return "取值见代码表 `codes.csv`。"
    return "取值：" + "、".join(f"`{term.key}` {term.zh}" for term in field.codes) + "。"


def resource_entry(resource: Resource, downloads: dict) -> dict:
    return {"file": resource.file, "title": resource.title, "description": resource.description,
            "layer": resource.layer, "geometry": resource.geometry, "terms": TERMS[resource.terms].title,
            "rows": downloads["rows"].get(resource.name, 0),
            "size": size_label(downloads["sizes"].get(resource.file, 0)),
            "fields": [{"name": f.name, "title": f.title, "type": TYPES[f.type], "required": f.required,
                        "doc": chinese(f.doc), "codes": values(f)} for f in resource.fields],
            "primary_key": resource.primary_key, "foreign_keys": resource.foreign_keys}


def vocabulary() -> list[dict]:
    vocab = [{"group": group, "key": t.key, "zh": t.zh, "en": t.en}
             for group, terms in (("城市 cities", CITIES), ("主题 themes", THEMES), ("要素类型 kind", KINDS),
                                  ("项目进展 statements.status", FEATURE_STATUSES),
                                  ("落实状态 measures.status", MEASURE_STATUSES),
                                  ("条款与项目 statements.relation", RELATIONS)) for t in terms]
    vocab += [{"group": "进展阶段 progress.stage", "key": stage.key, "zh": stage.note, "en": stage.en}
              for stage in STAGES]
    vocab += [{"group": "地图上的进展 phase", "key": phase.key, "zh": f"{phase.zh}：{phase.note}", "en": phase.en}
              for phase in PHASES]
    vocab += [{"group": "动词表 statements.status（先列出的先匹配）", "key": verb.phrase,
               "zh": STATUS[verb.status].zh, "en": verb.status} for verb in VERBS]
    vocab += [{"group": "名称的简写 statements.quote（核对引文是否写出项目名称）", "key": form.long,
               "zh": form.short + (f"（{form.note}）" if form.note else ""), "en": "short form"} for form in NAME_FORMS]
    return vocab


def data_context(atlas: Atlas, downloads: dict) -> dict:
    """`downloads`: {"sizes": {file: bytes}, "rows": {resource: rows or features}, "version", "zip", "xlsx"}, as the
    build made them (builds.WholeBuild.data_files)."""
    staff = [{"name": name, "columns": [{"name": c.name, "required": c.required, "doc": chinese(c.doc)}
                                        for c in columns]} for name, columns in TABLES.items()]
    terms = [{"title": t.title, "attribution": t.attribution, "notes": t.notes,
              "files": [r.file for r in RESOURCES if r.terms == key]} for key, t in TERMS.items() if key != "atlas"]
    return {"resources": [resource_entry(r, downloads) for r in RESOURCES], "terms": terms,
            "atlas_terms": TERMS["atlas"],
            "zip": {"file": downloads["zip"]}, "xlsx": {"file": downloads["xlsx"]},
            "version": downloads["version"], "staff": staff, "vocab": vocabulary(), "rules": list(RULES.items()),
            "measure_count": len(atlas.measures), "feature_count": len(atlas.features),
            "unlocated_count": len(atlas.features) - len(atlas.located)}
