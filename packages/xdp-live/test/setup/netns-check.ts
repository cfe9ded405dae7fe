// Setup file of the xdp-live project, beside the repository's fd-leak check: every test file must delete
// every network namespace it creates.
import { afterAll } from 'vitest';
import { leftoverNetns } from '../helpers/leftovers.js';

afterAll(() => {
  const namespaces = leftoverNetns();
  if (namespaces.length > 0)
    throw new Error(`this test file left network namespaces behind: ${namespaces.join(', ')}`);
});
