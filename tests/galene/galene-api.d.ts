// The parts of Galene's web client that galene-patch/backdrop-filters.js uses, declared
// from the JSDoc of Galene's static/ files (filter.js, settings.js and galene.js on master;
// all in galene.js on 1.1). They let `tsc -p tests/galene/tsconfig.json` check the patch
// with Galene's own compiler options where no Galene tree is at hand; the real check is
// `tsc -p STATIC_DIR/tsconfig.json` on each patched tree (tests/e2e/galene-install.test.mjs).

interface filterDefinition {
    description?: string;
    predicate?: (this: filterDefinition) => Promise<boolean>;
    init?: (this: Filter) => Promise<void>;
    cleanup?: (this: Filter) => Promise<void>;
    draw: (this: Filter, src: HTMLVideoElement, ctx: CanvasRenderingContext2D) => Promise<boolean>;
}

declare class Filter {
    constructor(stream: MediaStream, definition: filterDefinition);
    inputStream: MediaStream;
    definition: filterDefinition;
    frameRate: number;
    video: HTMLVideoElement;
    canvas: HTMLCanvasElement;
    context: CanvasRenderingContext2D;
    outputStream: MediaStream;
    userdata: Record<string, any>;
}

declare let filters: Record<string, filterDefinition>;

interface settings {
    video?: string;
    audio?: string;
    filter?: string;
    mirrorView?: boolean;
    blackboardMode?: boolean;
}

declare function getSettings(): settings;
declare function updateSetting(key: string, value: any): void;
declare function getSelectElement(id: string): HTMLSelectElement;
declare function getInputElement(id: string): HTMLInputElement;
declare function addSelectOption(select: HTMLSelectElement, label: string, value?: string): void;
declare function displayError(message: unknown, level?: string): void;
declare function selectOptionAvailable(select: HTMLSelectElement, value: string): boolean;
