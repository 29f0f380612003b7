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
// to Galene's filter table and drives the "Remove background" checkbox of
// the side menu.  It is loaded right after galene.js, and works with the
// filter code of Galene 1.1 (in galene.js) as well as with the later one
// (filter.js and settings.js).
//
// Galene's Filter draws every frame onto a canvas from a timer of the page,
// which browsers slow down to about once a second when the tab is hidden.
// Our filters draw nothing: their init puts Backdrop's own processed track
// in the filter's output stream, in place of the canvas track.  Backdrop
// makes each frame in its worker as the camera delivers it, hidden tab or
// not, and Galene sends the output stream as it does for any filter.
//
// They fail closed: Backdrop's track carries a solid frame until the first
// processed frame, while the model loads and if it cannot be loaded, and
// never the camera image itself.

'use strict';

/**
 * Where install.sh puts Backdrop's package and our background image.
 */
const backdropRoot = '/third-party/backdrop';

/**
 * The names of our entries in the filter table.
 */
const backdropFilterNames = ['backdrop-remove', 'backdrop-replace', 'backdrop-blur'];

/**
 * The parts of a Backdrop instance that we use.  See www/README.md in
 * Backdrop's sources.
 *
 * @typedef {Object} backdropInstance
 * @property {Promise<void>} ready
 * @property {(stream: MediaStream) => MediaStream} process
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
        let r = await fetch(backdropRoot + '/dist/index.js', {
            method: 'HEAD',
        });
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
 * Loads Backdrop's package and starts an instance in the given mode.  It
 * returns at once; the model goes on loading in Backdrop's worker.
 *
 * @param {'remove'|'replace'|'blur'} mode
 * @returns {Promise<backdropInstance>}
 */
async function backdropCreate(mode) {
    // This is a classic script; a dynamic import is the only way to load
    // an ES module from it.  Galene's tsconfig does not set "module",
    // which makes tsc refuse import() expressions.
    /** @ts-ignore */
    let module = await import(backdropRoot + '/dist/index.js');
    if(typeof module.createBackdrop !== 'function')
        throw new Error("Backdrop's package has no createBackdrop");
    /** @type {Object<string,any>} */
    let options = {mode: mode};
    if(mode === 'replace')
        options.backgroundImage = await backdropBackgroundImage();
    return await module.createBackdrop(options);
}

/**
 * Returns the definition of a filter that runs Backdrop in the given mode.
 *
 * @param {string} description
 * @param {'remove'|'replace'|'blur'} mode
 * @returns {filterDefinition}
 */
function backdropFilter(description, mode) {
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
            if(!(this.outputStream instanceof MediaStream))
                throw new Error('Filter has no output stream');
            /** @type {backdropInstance} */
            let backdrop = await backdropCreate(mode);
            this.userdata.backdrop = backdrop;
            backdrop.ready.catch(e => {
                if(this.userdata.backdrop !== backdrop)
                    return;
                console.error('Backdrop:', e);
                displayError(
                    `Background removal is not working (${e.message}); ` +
                        'others see a plain frame instead of your camera',
                );
            });
            let track = backdrop.process(this.inputStream).getVideoTracks()[0];
            // Galene sends this stream once init returns; Filter.stop still
            // stops the canvas track.
            this.outputStream.getVideoTracks().forEach(t => {
                this.outputStream.removeTrack(t);
            });
            this.outputStream.addTrack(track);
        },
        cleanup: async function() {
            /** @type {backdropInstance} */
            let backdrop = this.userdata.backdrop;
            this.userdata.backdrop = null;
            if(backdrop)
                backdrop.destroy();
        },
        draw: async function(src, ctx) {
            // Backdrop's worker makes the frames; the canvas is not sent.
            return false;
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
    getInputElement('backdropbox').checked =
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
    let select = getSelectElement('filterselect');
    let name = on ? backdropCheckboxFilter() : '';
    select.value = name;
    if(select.value !== name) {
        console.warn(`Filter ${name} is not available`);
        backdropReflect(select.value);
        return;
    }
    select.dispatchEvent(new Event('change'));
}

/**
 * True if Galene had begun listing its filter table in the filter menu
 * when this file was run (it lists the filters without a predicate at
 * once): then it will not list ours.  Normally it begins later, after
 * fetching the group's status.
 *
 * @type {boolean}
 */
let backdropListedLate = getSelectElement('filterselect').options.length > 1;

/**
 * Shows the filter of the settings in the filter menu once our entry is
 * there: Galene shows the settings before it has listed the filters that
 * have a predicate.
 *
 * @param {HTMLSelectElement} select
 */
function backdropShowSetting(select) {
    let filter = getSettings().filter || '';
    if(backdropFilterNames.indexOf(filter) < 0)
        return;
    let show = function() {
        if(!selectOptionAvailable(select, filter))
            return false;
        if(getSettings().filter === filter && select.value !== filter)
            select.value = filter;
        return true;
    };
    if(show())
        return;
    let observer = new MutationObserver(function() {
        if(show())
            observer.disconnect();
    });
    observer.observe(select, {childList: true});
}

async function backdropStart() {
    if(!(await backdropInstalled()))
        return;
    let select = getSelectElement('filterselect');
    if(backdropListedLate) {
        backdropFilterNames.forEach(name => {
            addSelectOption(select, filters[name].description, name);
        });
    }
    backdropShowSetting(select);
    backdropReflect(getSettings().filter || '');
    getInputElement('backdropbox').onchange = function(e) {
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
