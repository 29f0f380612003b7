// The parts of Galene's web client that galene-patch/backdrop-filters.js uses, declared
// from the JSDoc of Galene's static/filter.js and static/settings.js. They let
// `tsc -p tests/galene/tsconfig.json` check the patch with Galene's own compiler options
// where no Galene checkout is at hand; with Galene installed, the real check is
// `tsc -p STATIC_DIR/tsconfig.json` after install.sh (tests/e2e/galene.test.mjs runs both).

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
