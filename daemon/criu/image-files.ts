/**
 * The regular files a CRIU dump will reopen at restore (open descriptors, the executable, mapped
 * files, cwd and root), read from the images: files.img (file_entry.reg, CRIU ≥ 3.x) or, in older
 * images, reg-files.img. CRIU reopens them as root before it gives the tasks their credentials,
 * so zinc checks them against the job's owner first (image-owner.ts). Field numbers from CRIU's
 * images/fdinfo.proto and images/regfile.proto.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { ImageFormatError } from './errors.js';
import { imageEntries } from './image-file.js';

export const FILES_MAGIC = 0x56303138;
export const REG_FILES_MAGIC = 0x50363636;
const FD_TYPE_REG = 1;

const PROTO = `
syntax = "proto2";
message reg_file_entry {
  optional uint32 id = 1;
  optional uint32 flags = 2;
  optional string name = 6;
}
message file_entry {
  optional uint32 type = 1;
  optional uint32 id = 2;
  optional reg_file_entry reg = 3;
}
`;

export interface ImageFile {
  image: string;
  id: number;
  /** Absolute path as CRIU recorded it. */
  name: string;
  /** open(2) flags. */
  flags: number;
}

let types: { file: protobuf.Type; reg: protobuf.Type } | undefined;
function schema(): { file: protobuf.Type; reg: protobuf.Type } {
  if (!types) {
    const root = protobuf.parse(PROTO, { keepCase: true }).root;
    types = { file: root.lookupType('file_entry'), reg: root.lookupType('reg_file_entry') };
  }
  return types;
}

interface RawReg {
  id?: number;
  flags?: number;
  name?: string;
}

export function readImageFiles(imagesDir: string): ImageFile[] {
  const out: ImageFile[] = [];
  const add = (image: string, reg: RawReg) => {
    if (reg.name === undefined || reg.flags === undefined) throw new ImageFormatError(image, 'a regular file without a name or flags');
    out.push({ image, id: reg.id ?? 0, name: reg.name, flags: reg.flags });
  };
  const decode = (type: protobuf.Type, bytes: Buffer, image: string): object => {
    try {
      return type.toObject(type.decode(bytes), { longs: Number, defaults: false });
    } catch (err) {
      throw new ImageFormatError(image, (err as Error).message);
    }
  };
  if (existsSync(join(imagesDir, 'files.img'))) {
    for (const e of imageEntries('files.img', readFileSync(join(imagesDir, 'files.img')), FILES_MAGIC)) {
      const f = decode(schema().file, e, 'files.img') as { type?: number; reg?: RawReg };
      if (f.type === FD_TYPE_REG || f.reg) add('files.img', f.reg ?? {});
    }
  }
  if (existsSync(join(imagesDir, 'reg-files.img'))) {
    for (const e of imageEntries('reg-files.img', readFileSync(join(imagesDir, 'reg-files.img')), REG_FILES_MAGIC)) {
      add('reg-files.img', decode(schema().reg, e, 'reg-files.img') as RawReg);
    }
  }
  return out;
}
