// The stand-in for galene.js's side of filters: fill the filter menu with the filters
// whose predicate holds, and on a change of the menu store the choice in the settings and
// run the chosen filter on the camera (Galene replaces the up stream the same way).

'use strict';

let camera = null;

async function addFilters() {
    let select = document.getElementById('filterselect');
    for(let name in filters) {
        let f = filters[name];
        if(f.predicate && !(await f.predicate.call(f)))
            continue;
        let option = document.createElement('option');
        option.value = name;
        option.textContent = f.description || name;
        select.appendChild(option);
    }
}

async function setFilter(name) {
    if(harness.filter) {
        let old = harness.filter;
        harness.filter = null;
        await old.stop();
    }
    let output = document.getElementById('output');
    output.srcObject = camera;
    if(!name)
        return;
    let filter = new Filter(camera, filters[name]);
    harness.filter = filter;
    await filter.start();
    output.srcObject = filter.outputStream;
}

// One change at a time, in order, however fast the menu changes.
let changes = Promise.resolve();

document.getElementById('filterselect').onchange = function() {
    let name = this.value;
    updateSetting('filter', name);
    changes = changes.then(() => {
        harness.frames = [];
        return setFilter(name);
    }).catch(e => console.error(e));
};

async function start() {
    camera = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}});
    await addFilters();
    document.body.dataset.ready = 'true';
}

start().catch(e => {
    console.error(e);
    document.body.dataset.ready = 'false';
});
