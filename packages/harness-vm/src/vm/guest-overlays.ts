import { homedir, tmpdir } from 'node:os';

/**
 * What a guest may write although the host's root is read-only to it: the working directory (snapshots,
 * `npm pack`, vite's temporary files), the home directory (tool caches, npm's cache, progrun's compile
 * cache) and an XDG_CACHE_HOME set outside it. Each becomes an overlay whose writes vanish with the
 * guest, and whose reads see the host's files (warm caches included).
 *
 * A directory holding the host's temporary directory is left out: the run directories shared
 * read-write with the guest live there, and an overlay above them would hide their writes from the host.
 */
export function guestOverlayDirs(cwd: string): string[] {
  const temp = tmpdir();
  const candidates = [cwd, homedir(), process.env.XDG_CACHE_HOME].filter(
    (dir): dir is string =>
      dir !== undefined && dir !== '' && dir !== '/' && dir !== temp && !temp.startsWith(`${dir}/`),
  );
  const unique = [...new Set(candidates)];
  // A directory inside another overlay is already writable.
  return unique.filter((dir) => !unique.some((other) => other !== dir && dir.startsWith(`${other}/`)));
}
