"""Errors of the biometric engine: one hierarchy, each with a stable ``code`` and an English message.

Input errors (:class:`NoFace`, :class:`SeveralFaces`, :class:`UnreadableImage`) mean "no biometric
from this photo": the caller still registers the person, without a template. :class:`IndexCorrupt`
means "do not trust this index file": the caller rebuilds the index from the database.
"""

from __future__ import annotations

from typing import ClassVar


class BiometricError(Exception):
    """Base of every error this engine raises on purpose. ``code`` is stable (APIs, logs, tests);
    ``message`` is a sentence for an officer or an operator."""

    code: ClassVar[str] = "biometric_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadableImage(BiometricError):
    """The bytes are not an image Pillow can decode (empty, truncated, not an image format)."""

    code: ClassVar[str] = "unreadable_image"

    def __init__(self, message: str = "The file is not a readable image (JPEG, PNG or similar).") -> None:
        super().__init__(message)


class ImageTooLarge(UnreadableImage):
    """The image declares more pixels than the encoder accepts (a decompression bomb, or a raw
    camera file that should be resized before upload). Checked before any pixel is decoded."""

    code: ClassVar[str] = "image_too_large"

    def __init__(self, pixels: int, max_pixels: int) -> None:
        super().__init__(
            f"The image has {pixels:,} pixels; at most {max_pixels:,} are accepted. Resize it and try again."
        )
        self.pixels = pixels
        self.max_pixels = max_pixels


class NoFace(BiometricError):
    """No frontal face was found in the image."""

    code: ClassVar[str] = "no_face"

    def __init__(
        self, message: str = "No face was found in the photo. Take a frontal photo of one person."
    ) -> None:
        super().__init__(message)


class SeveralFaces(BiometricError):
    """More than one prominent face: the engine will not guess which one is the person."""

    code: ClassVar[str] = "several_faces"

    def __init__(self, count: int) -> None:
        super().__init__(f"The photo shows {count} faces. Take a photo of the person alone.")
        self.count = count


class IndexCorrupt(BiometricError):
    """An index file is missing, truncated, fails its checksum, or does not match its metadata.
    Never trust it: rebuild the index from the stored templates."""

    code: ClassVar[str] = "index_corrupt"

    def __init__(self, message: str) -> None:
        super().__init__(f"The template index cannot be used and must be rebuilt: {message}")
