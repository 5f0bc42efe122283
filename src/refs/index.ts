export { isReference, parseReference } from './parse.js';
export { formatReference, toFetchReference } from './format.js';
export { SCHEMES, type Reference, type Scheme } from './types.js';
export { suggestScheme } from './near-miss.js';
