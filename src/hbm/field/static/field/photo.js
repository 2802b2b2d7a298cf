/**
 * Photos from the device's camera, made small enough to store and send over a poor link:
 * the longest side at most `maxSide` pixels, JPEG quality stepped down until the file is at most
 * `maxBytes` (and, for an image that still does not fit, the size stepped down too).
 */

const QUALITIES = [0.85, 0.75, 0.65, 0.55, 0.45, 0.35];
const SHRINK = 0.8;

/**
 * A JPEG of at most `maxBytes` bytes from an image file.
 * @param {Blob} file
 * @param {{maxSide: number, maxBytes: number}} limits
 * @returns {Promise<Blob>}
 */
export async function photoDownscale(file, { maxSide, maxBytes }) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    let scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    for (;;) {
      const canvas = drawn(bitmap, scale);
      for (const quality of QUALITIES) {
        const jpeg = await canvas.convertToBlob({ type: "image/jpeg", quality });
        if (jpeg.size <= maxBytes) {
          return jpeg;
        }
      }
      scale *= SHRINK;
    }
  } finally {
    bitmap.close();
  }
}

/** The image on a canvas `scale` times its size (white behind any transparency, as JPEG has none). */
function drawn(bitmap, scale) {
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
  return canvas;
}

/** Base64 of bytes, as the sync API takes a photo. */
export function base64Of(bytes) {
  const view = new Uint8Array(bytes);
  const chunks = [];
  for (let start = 0; start < view.length; start += 0x8000) {
    chunks.push(String.fromCharCode(...view.subarray(start, start + 0x8000)));
  }
  return btoa(chunks.join(""));
}
