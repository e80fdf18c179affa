"""The atlas's two editions, Chinese at the site's root and English under `en/`, built by mkdocs-static-i18n.

mkdocs-static-i18n builds the default language, then builds each other language again into its folder (theme
language, site name, the language switch, the sitemap's alternates). Two of its steps do not fit a site whose pages
are generated, and `AtlasI18n` replaces them (`plugins: - atlas-i18n` in mkdocs.yml):

- It re-creates every file from the docs folder, so a page made in memory loses its content, or is dropped with
  "Unhandled file case" (upstream issue ultrabug/mkdocs-static-i18n#263). The atlas localizes its generated files
  itself (`localize`: the English edition's have their own addresses under `en/`, and each page knows its
  counterpart in the other edition); the plugin handles only the hand-written files of `docs/`.
- It merges every language's search entries into one index after the last build. Each edition has an index of its
  own instead, English stemmed and Chinese segmented with jieba (builds.WholeBuild.finish), which the merge would
  overwrite.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from types import SimpleNamespace

from mkdocs.structure.files import File, Files
from mkdocs_static_i18n.plugin import I18n

from ..vocabulary import routes


def localize(file: File, lang: str, counterparts: dict[str, str] | None = None) -> File:
    """Mark a generated file with its edition, as the plugin marks the docs folder's files: `counterparts` are the
    source paths of the same page in each edition, whose addresses the language switch and the sitemap link to."""
    if lang != routes.DEFAULT_LANGUAGE:  # before MkDocs reads the address it derives from it
        file.dest_uri = routes.html(file.src_uri)
        file.name = PurePosixPath(routes.unlocalized(file.src_uri)).stem  # an index page is one in either edition
    file.locale = lang
    file.localization = lang
    file.locale_alternate_of = lang
    file.norm_src_uri = routes.unlocalized(file.src_uri)  # as the plugin's own files have it
    file.alternates = {other: SimpleNamespace(url=routes.html(source), page=None)
                       for other, source in (counterparts or {}).items()}
    return file


def passes(config) -> list[str]:
    """The editions a build makes, in the order it makes them: the Chinese, then each other one atlas-i18n builds."""
    i18n = config.plugins.get("atlas-i18n")
    others = [lang for lang in (i18n.build_languages if i18n is not None else []) if lang != routes.DEFAULT_LANGUAGE]
    return [routes.DEFAULT_LANGUAGE, *others]


def site_name(config, lang: str) -> str:
    """Edition `lang`'s site name as atlas-i18n's `languages` in mkdocs.yml give it, whichever edition is being built
    (the data package, made in the Chinese edition's build, names the English one too)."""
    i18n = config.plugins.get("atlas-i18n")
    named = i18n.get_language_config(lang).get("site_name") if i18n is not None else None
    return named or config.site_name


class AtlasI18n(I18n):
    def reconfigure_files(self, files: Files, mkdocs_config):
        generated = [file for file in files if file.generated_by]
        handwritten = Files([file for file in files if not file.generated_by])
        i18n_files = super().reconfigure_files(handwritten, mkdocs_config)
        for file in generated:
            i18n_files.append(file)
        return i18n_files

    def reconfigure_search_index(self, config) -> None:
        """Each edition writes its own index (see the module's docstring): nothing to merge."""

    @property
    def language(self) -> str:
        """The edition being built."""
        return self.current_language or self.default_language
