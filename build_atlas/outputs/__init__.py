"""Stage 3-4: what the site is made of: web maps, print images, pages, search, downloads."""
