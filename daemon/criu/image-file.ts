/**
 * CRIU's image file framing, for reading a few images without `crit`:
 *   [IMG_COMMON_MAGIC or IMG_SERVICE_MAGIC] (absent in inventory.img) [the image's own magic]
 *   then entries, each a little-endian u32 length followed by that many bytes of protobuf.
 * (criu/include/magic.h and criu/protobuf.c; pages-*.img are raw and have no framing.)
 */
import { ImageFormatError } from './errors.js';

export const IMG_COMMON_MAGIC = 0x54564319;
export const IMG_SERVICE_MAGIC = 0x55105940;
export const CORE_MAGIC = 0x55053847;
export const CREDS_MAGIC = 0x54023547;

/** No CRIU image entry zinc reads is anywhere near this; a larger length means a corrupt file. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** The protobuf entries of an image whose own magic must be `magic`. */
export function imageEntries(file: string, buf: Buffer, magic: number): Buffer[] {
  let at = 0;
  const u32 = (): number => {
    if (at + 4 > buf.length) throw new ImageFormatError(file, `truncated at byte ${at}`);
    const v = buf.readUInt32LE(at);
    at += 4;
    return v;
  };
  let first = u32();
  if (first === IMG_COMMON_MAGIC || first === IMG_SERVICE_MAGIC) first = u32();
  if (first !== magic) throw new ImageFormatError(file, `magic 0x${first.toString(16)}, expected 0x${magic.toString(16)}`);
  const entries: Buffer[] = [];
  while (at < buf.length) {
    const len = u32();
    if (len > MAX_ENTRY_BYTES || at + len > buf.length) throw new ImageFormatError(file, `entry of ${len} bytes at byte ${at - 4} runs past the end`);
    entries.push(buf.subarray(at, at + len));
    at += len;
  }
  return entries;
}
