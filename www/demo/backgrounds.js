// The built-in backgrounds (drawn by backgrounds/make-backgrounds.mjs, shipped with the
// page) and loading any image into the ImageBitmap Backdrop's replace mode takes.

export const BUILT_IN_BACKGROUNDS = [
  { id: 'office', name: 'Office wall' },
  { id: 'dusk', name: 'Dusk hills' },
  { id: 'sea', name: 'Calm sea' },
  { id: 'bokeh', name: 'Soft lights' },
];

/** Loads a built-in background (same origin) as an ImageBitmap. */
export async function loadBuiltIn(id) {
  const known = BUILT_IN_BACKGROUNDS.find((background) => background.id === id);
  if (!known) throw new Error(`unknown built-in background '${id}'`);
  const url = new URL(`backgrounds/${id}.png`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`loading ${url.pathname}: HTTP ${response.status}`);
  return createImageBitmap(await response.blob());
}

/** Decodes a user's image file, with a message naming the file when it is not an image. */
export async function loadImageFile(file) {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} could not be read as an image`);
  }
}
