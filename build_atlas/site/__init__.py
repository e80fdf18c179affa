"""The MkDocs side: the plugin, the whole build and the preview, the atomic site swap, the theme."""
