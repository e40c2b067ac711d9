// The SDK's HttpError (a non-JSON error body) is not exported from its index; its typings live
// under src/types/, so this points the module at them.
declare module '@okta/okta-sdk-nodejs/src/http-error' {
  import { HttpError } from '@okta/okta-sdk-nodejs/src/types/http-error';
  export = HttpError;
}
