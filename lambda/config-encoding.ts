import { gunzipSync, gzipSync } from 'node:zlib';

// How the config travels in the function's SCANNER_CONFIG variable. Lambda caps all variables
// together at 4 KB; a config that does not fit as JSON (dozens of orgs, say) goes gzipped, which
// its repeated keys and names shrink several times over. JSON when it fits: readable in the console.

const GZIP_PREFIX = 'gzip:';

/** The variable's value for this JSON, or null when even gzipped it is over `maxBytes`. */
export function encodeScannerConfig(json: string, maxBytes: number): string | null {
  if (Buffer.byteLength(json) <= maxBytes) return json;
  const gzipped = `${GZIP_PREFIX}${gzipSync(json).toString('base64')}`;
  return gzipped.length <= maxBytes ? gzipped : null;
}

/** The JSON a SCANNER_CONFIG value carries; throws on a gzip value that does not decode. */
export function decodeScannerConfig(value: string): string {
  if (!value.startsWith(GZIP_PREFIX)) return value;
  return gunzipSync(Buffer.from(value.slice(GZIP_PREFIX.length), 'base64')).toString('utf8');
}
