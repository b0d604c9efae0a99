"""Static files as the app serves them (whitenoise).

After `xiaoneng collectstatic` (production, and the demo, which runs it itself) every file
has a content hash in its name, a gzip and a brotli copy beside it, and whitenoise sends it
with far-future cache headers (`Cache-Control: max-age=315360000, public, immutable`): a
browser downloads each version once. A fresh checkout that has not collected its files yet
(the tests, a developer's runserver) gets the plain names, served by whitenoise from the app
folders (WHITENOISE_USE_FINDERS): nothing to run first, nothing stale.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


class StaticStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest: not collected, served from the app folders
            return name
        return super().stored_name(name)
