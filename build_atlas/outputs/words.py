"""The words of the templates both editions share (macros.md.j2: the measure card, the filter forms, the map's
block), in each edition's language.

A macro writes its Chinese words as they read on a Chinese page, `{{ _("出处：") }}`; on an English page `_` gives
ENGLISH's entry for them. Values go in as %-style fields (`_("共 %(num)s 项举措", num=total)`), escaped as Jinja's
own i18n extension escapes them; an entry of two forms is English's singular and plural, chosen by `num`. A phrase
without an English entry stops the build (tests/test_editions.py checks every phrase the macros hold).
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from ..vocabulary import routes

ENGLISH: dict[str, str | tuple[str, str]] = {
    # the measure card
    "四市": "All four cities",
    "涉及本地：": "Why here: ",
    "出处：": "Source: ",
    "责任单位：": "Responsible: ",
    "完成时限：": "Deadline: ",
    "进展：": "Progress: ",
    "落实状态：": "Recorded status: ",
    "同属主题：": "Also under: ",
    "项目：": "Projects: ",
    "落实：": "Implements: ",
    "、": ", ",
    "写到": "names ",
    "所关于的项目在境内：": ("about a project here: ", "about projects here: "),
    "；": "; ",
    "（原文“%(quote)s”）": " (the text says “%(quote)s”)",
    "（原文“%(quote)s”，年份按文件日期推算）":
        " (the text says “%(quote)s”; the year is reckoned from the document's date)",
    # the filter forms
    "筛选举措": "Filter the measures",
    "筛选项目": "Filter the projects",
    "全部": "All",
    "输入单位名称，如 财政": "Chinese name, e.g. 财政",
    "共 %(num)s 项举措": ("%(num)s measure", "%(num)s measures"),
    "清除筛选": "Clear filters",
    "全部展开": "Expand all",
    "%(label)s（%(count)s）": "%(label)s (%(count)s)",
    "旗县区": "County",
    "现状": "Status",
    # the map's block
    "图中的 %(num)s 个项目见下方“规划项目”表": ("The project on the map is listed in the table of projects below",
                                        "The %(num)s projects on the map are listed in the table of projects below"),
    "图中的 %(num)s 个项目": ("The project on the map", "The %(num)s projects on the map"),
    "项目": "Project",
    "类型": "Kind",
    "图中全部规划项目的列表": "A list of every project on the map",
    "下载本图：": "Download this map: ",
    "嵌入代码：把本图放进报告或网页": "Embed code: put this map in a report or a web page",
    "名称前的数字是项目在本图的图片和打印版上的编号：名称在图上放不下的项目，图上只标这个编号。":
        "The number before a name is the project's number on this map's images and printed copy: a project whose "
        "name does not fit on the map is marked there by its number alone.",
}


@pass_context
def words(context, phrase: str, **values) -> Markup:
    """`phrase` in the language of the page being rendered (its context's `lang`), with `values` filled in."""
    text = phrase if context.get("lang", routes.DEFAULT_LANGUAGE) == routes.DEFAULT_LANGUAGE else ENGLISH[phrase]
    if isinstance(text, tuple):
        text = text[values.get("num") != 1]
    return Markup(text) % values
