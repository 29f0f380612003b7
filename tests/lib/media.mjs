// Media the tests make on the fly rather than commit: solid-colour PNG images, and a
// WebM clip recorded from Chromium's fake camera (the real person of the .y4m fixture).

import { encodePng } from '../../scripts/png.mjs';

/** A width × height PNG of one colour `rgb`. */
export function solidPng(width, height, rgb) {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set(rgb, i);
  return encodePng(pixels, width, height);
}

/**
 * Records `seconds` of the browser's (fake) camera with MediaRecorder in a page of `url`'s
 * origin, and returns the WebM bytes.
 * @param {import('playwright-core').Browser} browser
 */
export async function recordCameraWebm(browser, url, seconds = 3) {
  const page = await browser.newPage();
  try {
    await page.goto(new URL('demo/backgrounds/office.png', url).href); // any page of the origin
    const base64 = await page.evaluate(async (seconds) => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
      const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 2_000_000 });
      const chunks = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
      recorder.start(500);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      recorder.stop();
      await stopped;
      for (const track of stream.getTracks()) track.stop();
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    }, seconds);
    return Buffer.from(base64, 'base64');
  } finally {
    await page.close();
  }
}
