// Decodes a share link off the main thread: decompressing and checking a large graph takes seconds.
import { parseSharedHash } from './shareLink';

self.onmessage = (e: MessageEvent<string>) => {
  self.postMessage(parseSharedHash(e.data));
};
