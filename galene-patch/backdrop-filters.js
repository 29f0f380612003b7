// Copyright (c) 2026 by the Backdrop authors.

// Permission is hereby granted, free of charge, to any person obtaining a copy
// of this software and associated documentation files (the "Software"), to deal
// in the Software without restriction, including without limitation the rights
// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
// copies of the Software, and to permit persons to whom the Software is
// furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in
// all copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
// FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.  IN NO EVENT SHALL THE
// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
// LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
// THE SOFTWARE.

// Background removal, replacement and blur with Backdrop, a WebAssembly
// engine that runs entirely in the browser.  This file adds three entries
// to Galene's filter table (filter.js) and drives the "Remove background"
// checkbox of the side menu.  It must be loaded after filter.js and
// settings.js and before galene.js, which lists the filters at start-up.
//
// The filters fail closed: they never draw the camera image themselves.
// The first frame they output is a solid frame, and every later frame is
// one that Backdrop has processed; Backdrop itself outputs a solid frame
// while its model loads and after an error.

'use strict';

/**
 * Where install.sh puts Backdrop's package and our background image.
 */
const backdropRoot = '/third-party/backdrop';

/**
 * The colour behind the person in remove mode, and of the frame sent
 * before the first processed one.
 */
const backdropRemoveColor = '#00b140';

/**
 * The colour of the frame sent before the first processed one in the
 * other modes; the same dark grey as Backdrop's own privacy frame.
 */
const backdropPrivacyGrey = '#202124';

/**
 * The names of our entries in the filter table.
 */
const backdropFilterNames = ['backdrop-remove', 'backdrop-replace', 'backdrop-blur'];

/**
 * The parts of a Backdrop instance that we use.  See www/src/backdrop.ts
 * in Backdrop's sources.
 *
 * @typedef {Object} backdropInstance
 * @property {string} state
 * @property {(frame: ImageBitmap) => Promise<ImageBitmap>} processFrame
 * @property {() => void} destroy
 */

/** @type {Promise<boolean>} */
let backdropInstalledPromise = null;

/**
 * Returns true if Backdrop's package is installed on the server.  The
 * request is only done once.
 *
 * @returns {Promise<boolean>}
 */
function backdropInstalled() {
    if(!backdropInstalledPromise)
        backdropInstalledPromise = backdropCheckInstalled();
    return backdropInstalledPromise;
}

/**
 * @returns {Promise<boolean>}
 */
async function backdropCheckInstalled() {
    try {
        // A small file; a GET works with every server and proxy.
        let r = await fetch(backdropRoot + '/dist/index.js');
        if(!r.ok) {
            if(r.status !== 404)
                console.warn(
                    `Fetch Backdrop's index.js: ${r.status} ${r.statusText}`,
                );
            return false;
        }
        return true;
    } catch(e) {
        console.warn(e);
        return false;
    }
}

/**
 * Loads Backdrop's package and starts an instance.
 *
 * @param {Object} options
 * @returns {Promise<backdropInstance>}
 */
async function backdropCreate(options) {
    // galene.js is a classic script; a dynamic import is the only way to
    // load an ES module from it.  Galene's tsconfig does not set "module",
    // which makes tsc refuse import() expressions.
    /** @ts-ignore */
    let module = await import(backdropRoot + '/dist/index.js');
    if(typeof module.createBackdrop !== 'function')
        throw new Error("Backdrop's package has no createBackdrop");
    return await module.createBackdrop(options);
}

/**
 * Loads the image that replace mode puts behind the person.
 *
 * @returns {Promise<ImageBitmap>}
 */
async function backdropBackgroundImage() {
    let url = backdropRoot + '/galene/background.png';
    let r = await fetch(url);
    if(!r.ok)
        throw new Error(`Fetch ${url}: ${r.status} ${r.statusText}`);
    return await createImageBitmap(await r.blob());
}

/**
 * Fills the canvas with a solid colour: the frame that we send when we
 * have no processed frame.
 *
 * @param {CanvasRenderingContext2D} ctx
 * @param {string} color
 */
function backdropFillSolid(ctx, color) {
    ctx.globalCompositeOperation = 'copy';
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.globalCompositeOperation = 'source-over';
}

/**
 * Returns the definition of a filter that runs Backdrop in the given mode.
 *
 * @param {string} description
 * @param {'remove'|'replace'|'blur'} mode
 * @returns {filterDefinition}
 */
function backdropFilter(description, mode) {
    let solid = mode === 'remove' ? backdropRemoveColor : backdropPrivacyGrey;
    return {
        description: description,
        predicate: async function() {
            return await backdropInstalled();
        },
        init: async function() {
            if(!(this instanceof Filter))
                throw new Error('Bad type for this');
            if(this.userdata.backdrop)
                throw new Error("Backdrop already running (this shouldn't happen)");
            /** @type {Object<string,any>} */
            let options = {mode: mode, color: backdropRemoveColor};
            if(mode === 'replace')
                options.backgroundImage = await backdropBackgroundImage();
            this.userdata.backdrop = await backdropCreate(options);
            this.userdata.frames = 0;
        },
        cleanup: async function() {
            /** @type {backdropInstance} */
            let backdrop = this.userdata.backdrop;
            this.userdata.backdrop = null;
            if(backdrop)
                backdrop.destroy();
        },
        draw: async function(src, ctx) {
            if(!(ctx instanceof CanvasRenderingContext2D))
                throw new Error('bad context type');
            let width = src.videoWidth;
            let height = src.videoHeight;
            if(ctx.canvas.width !== width || ctx.canvas.height !== height) {
                ctx.canvas.width = width;
                ctx.canvas.height = height;
            }

            /** @type {backdropInstance} */
            let backdrop = this.userdata.backdrop;
            if(!backdrop || this.userdata.frames === 0) {
                // the first frame of the stream is solid, whatever happens
                backdropFillSolid(ctx, solid);
                this.userdata.frames = 1;
                return true;
            }

            /** @type {ImageBitmap} */
            let result = null;
            let bitmap = await createImageBitmap(src);
            try {
                // processFrame transfers the bitmap to Backdrop's worker
                result = await backdrop.processFrame(bitmap);
            } catch(e) {
                if(!this.userdata.warned) {
                    console.error('Backdrop:', e);
                    this.userdata.warned = true;
                }
            } finally {
                bitmap.close();
            }

            if(!result) {
                backdropFillSolid(ctx, solid);
                return true;
            }
            try {
                ctx.globalCompositeOperation = 'copy';
                ctx.drawImage(result, 0, 0, width, height);
                ctx.globalCompositeOperation = 'source-over';
            } finally {
                result.close();
            }
            this.userdata.frames++;
            return true;
        },
    };
}

filters['backdrop-remove'] =
    backdropFilter('Remove background (Backdrop)', 'remove');
filters['backdrop-replace'] =
    backdropFilter('Replace background (Backdrop)', 'replace');
filters['backdrop-blur'] =
    backdropFilter('Blur background (Backdrop)', 'blur');

/**
 * @param {string} id
 * @returns {HTMLInputElement}
 */
function backdropInputElement(id) {
    let elt = document.getElementById(id);
    if(!elt || !(elt instanceof HTMLInputElement))
        throw new Error(`Couldn't find ${id}`);
    return elt;
}

/**
 * @returns {HTMLSelectElement}
 */
function backdropFilterSelect() {
    let elt = document.getElementById('filterselect');
    if(!elt || !(elt instanceof HTMLSelectElement))
        throw new Error("Couldn't find filterselect");
    return elt;
}

/**
 * Returns the Backdrop filter that the checkbox switches on: the last one
 * chosen, remembered in Galene's settings, or remove by default.
 *
 * @returns {string}
 */
function backdropCheckboxFilter() {
    let name = getSettings()['backdropFilter'];
    if(backdropFilterNames.indexOf(name) >= 0)
        return name;
    return 'backdrop-remove';
}

/**
 * Sets the checkbox from the current filter.
 *
 * @param {string} filter
 */
function backdropReflect(filter) {
    backdropInputElement('backdropbox').checked =
        backdropFilterNames.indexOf(filter) >= 0;
}

/**
 * Switches Backdrop on or off by choosing the filter in Galene's filter
 * menu, so that Galene stores the choice in its settings and replaces the
 * camera stream exactly as when the user picks a filter by hand.
 *
 * @param {boolean} on
 */
function backdropSwitch(on) {
    let select = backdropFilterSelect();
    let name = on ? backdropCheckboxFilter() : '';
    select.value = name;
    if(select.value !== name) {
        // the filter menu has not been filled in yet
        console.warn(`Filter ${name} is not available yet`);
        backdropReflect(select.value);
        return;
    }
    select.dispatchEvent(new Event('change'));
}

async function backdropStart() {
    if(!(await backdropInstalled()))
        return;
    let box = backdropInputElement('backdropbox');
    let select = backdropFilterSelect();
    backdropReflect(getSettings().filter || '');
    box.onchange = function(e) {
        e.preventDefault();
        if(!(this instanceof HTMLInputElement))
            throw new Error('Unexpected type for this');
        backdropSwitch(this.checked);
    };
    // Galene owns select.onchange; listen beside it.
    select.addEventListener('change', function(e) {
        if(backdropFilterNames.indexOf(select.value) >= 0)
            updateSetting('backdropFilter', select.value);
        backdropReflect(select.value);
    });
    document.getElementById('backdropform').classList.remove('invisible');
}

backdropStart();
