// A stand-in for what galene-patch/backdrop-filters.js uses from Galene's web client:
// the filter table and the Filter object that runs a filter (static/filter.js) and the
// settings (static/settings.js). It keeps their contract: a filter's draw(src, ctx) is
// called with the camera <video> and the output canvas's context, one call at a time;
// when it returns true the canvas becomes the next frame of the output track (a canvas
// captureStream whose frames are requested one by one); init runs before the first draw,
// cleanup after the last; per-filter state lives in userdata. Settings live in
// sessionStorage under 'settings'.
//
// For the test it also records every frame the output track is given (the mean colour of
// three regions of the canvas at that moment) and every drawImage of a <video> onto a
// canvas, since a filter that fails closed never draws the camera itself.

'use strict';

/** @type {Record<string, any>} */
let filters = {};

const harness = {
    /** One entry per output frame: {topLeft, topRight, centre} mean RGB. */
    frames: [],
    /** drawImage calls whose source was a <video> element. */
    videoDraws: 0,
    /** The running Filter, if any. */
    filter: null,
    /** Filters whose cleanup has run. */
    stopped: [],
};

const drawImage = CanvasRenderingContext2D.prototype.drawImage;
CanvasRenderingContext2D.prototype.drawImage = function(source, ...rest) {
    if(source instanceof HTMLVideoElement)
        harness.videoDraws++;
    return drawImage.call(this, source, ...rest);
};

function getSettings() {
    return JSON.parse(sessionStorage.getItem('settings') || '{}');
}

function updateSetting(key, value) {
    let settings = getSettings();
    settings[key] = value;
    sessionStorage.setItem('settings', JSON.stringify(settings));
}

/** Regions of the 640×480 fake camera: the two top corners are wall, the centre a face. */
const REGIONS = {topLeft: [0, 0, 100, 80], topRight: [560, 0, 640, 80], centre: [300, 200, 440, 380]};

function meanColors(ctx) {
    let means = {};
    let sx = ctx.canvas.width / 640, sy = ctx.canvas.height / 480;
    for(let [name, [x0, y0, x1, y1]] of Object.entries(REGIONS)) {
        let data = ctx.getImageData(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy).data;
        let sum = [0, 0, 0];
        for(let i = 0; i < data.length; i += 4) {
            sum[0] += data[i];
            sum[1] += data[i + 1];
            sum[2] += data[i + 2];
        }
        means[name] = sum.map(s => Math.round(s / (data.length / 4)));
    }
    return means;
}

function Filter(stream, definition) {
    this.inputStream = stream;
    this.definition = definition;
    this.video = document.createElement('video');
    this.canvas = document.createElement('canvas');
    this.context = this.canvas.getContext('2d', {willReadFrequently: true});
    this.userdata = {};
    this.captureStream = this.canvas.captureStream(0);
    this.outputStream = new MediaStream(this.captureStream.getVideoTracks());
    this.timer = null;
    this.busy = false;
}

Filter.prototype.start = async function() {
    this.video.srcObject = this.inputStream;
    this.video.muted = true;
    await this.video.play();
    if(this.definition.init)
        await this.definition.init.call(this);
    this.timer = setInterval(() => this.draw(), 1000 / 30);
};

Filter.prototype.draw = async function() {
    if(this.busy || this.video.videoWidth === 0)
        return;
    this.busy = true;
    try {
        let ok = await this.definition.draw.call(this, this.video, this.context);
        if(ok && this.timer) {
            harness.frames.push(meanColors(this.context));
            this.captureStream.getVideoTracks()[0].requestFrame();
        }
    } catch(e) {
        console.error(e);
    } finally {
        this.busy = false;
    }
};

Filter.prototype.stop = async function() {
    if(!this.timer)
        return;
    clearInterval(this.timer);
    this.timer = null;
    this.captureStream.getVideoTracks()[0].stop();
    if(this.definition.cleanup)
        await this.definition.cleanup.call(this);
    harness.stopped.push(this);
};
